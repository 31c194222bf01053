import { parentPort, workerData } from 'node:worker_threads';
import { replayShare } from './replay-log';

// Worker thread entry of the parallel replay: the streams of one share, a summary posted back.
const { file, share, shares } = workerData as { file: string; share: number; shares: number };
parentPort!.postMessage(replayShare(file, share, shares));
