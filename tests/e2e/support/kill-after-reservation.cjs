// Test-only fault injection, preloaded into the BUILT server (`node --require <this file> main.js`) by the
// crash tests, never part of the server: the process SIGKILLs itself right after an approval's
// reservation is stored, before the fund commitment, so a test proves the repair after a real process
// death at exactly that point (never by racing a kill against the timing of the steps).
'use strict';
const { join } = require('node:path');

const { AggregateStore } = require(join(__dirname, '..', '..', '..', 'dist', 'libs', 'platform', 'src'));
const execute = AggregateStore.prototype.execute;
AggregateStore.prototype.execute = async function executeThenDie(streamId, decider, command, ...rest) {
  const result = await execute.call(this, streamId, decider, command, ...rest);
  if (command.type === 'ReserveAward' && result.events.length > 0) process.kill(process.pid, 'SIGKILL');
  return result;
};
