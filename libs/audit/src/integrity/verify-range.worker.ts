import { parentPort, workerData } from 'node:worker_threads';
import type { ChainHead } from './digest';
import { verifyRange } from './verify-range';

// Worker thread entry of the parallel verify: one range of global positions, results posted back.
const { file, from, to, heads } = workerData as { file: string; from: number; to: number; heads: [string, ChainHead][] };
parentPort!.postMessage(verifyRange(file, from, to, new Map(heads)));
