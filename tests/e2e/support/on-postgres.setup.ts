// Setup of the jest project `e2e-pg` (jest.config.js): the chosen e2e flows again, with the event log on
// PostgreSQL. Jest gives each spec file its own copy of process.env, so this reaches no other project.
import { dropEngineDatabases } from './e2e-engine';

process.env.CBEC_E2E_ENGINE = 'postgres';

// DROP DATABASE checkpoints and removes the files: seconds on a busy machine, beyond Jest's 5 s default.
afterAll(async () => {
  await dropEngineDatabases();
}, 60_000);
