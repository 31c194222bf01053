import { reportingConfigFromEnv } from './reporting-config';
import { ReportingConsumer } from './reporting-consumer';

/** The reporting consumer in a process of its own, for the crash test (config from the environment). */
new ReportingConsumer(reportingConfigFromEnv(), {
  info: (m) => console.error(`reporting(child): ${m}`),
  warn: (m) => console.error(`reporting(child): ${m}`),
  error: (m) => console.error(`reporting(child): ${m}`),
})
  .start()
  .then((port) => console.log(JSON.stringify({ port })))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
