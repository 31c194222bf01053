export * from "./shared/money";
