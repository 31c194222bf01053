export * from './locale';
export * from './format';
export * from './catalogue';
export * from './trace-texts';
export * from './render-trace';
