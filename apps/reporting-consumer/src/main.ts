import { reportingConfigFromEnv } from './reporting-config';
import { ReportingConsumer } from './reporting-consumer';

async function main(): Promise<void> {
  const config = reportingConfigFromEnv();
  const consumer = new ReportingConsumer(config);
  const port = await consumer.start();
  console.log(
    `reporting: serving http://${config.host}:${port}/reports/{awards,funds,throughput,overdue}[?format=csv] ` +
      `from ${config.dbFile} (source: ${config.source.kind}; tokens: secret ${consumer.tokens?.secret}, revocations ${consumer.tokens?.revocations})`,
  );
  const shutdown = (signal: string) => {
    console.log(`reporting: ${signal}, stopping`);
    consumer.stop().then(
      () => process.exit(0),
      (e) => {
        console.error(`reporting: stop failed: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: Error) => {
  console.error(`reporting: ${e.message}`);
  process.exit(1);
});
