// A fault of the storage under the books, as the command line reports it: one line naming the
// cause and what was written, exit 74 (EX_IOERR), never a stack trace.
import type { StorageFault } from '../store/faults.ts';
import { type WriteLog, written } from '../store/write-log.ts';
import { CliExit, EXIT } from './output.ts';

/** The exit for a fault of the storage: `ingot: storage_failed: the disk is full (SQLITE_FULL); …`. */
export function storageExit(fault: StorageFault, log?: WriteLog): CliExit {
  const after = log ? `; ${written(fault, log)}` : '';
  return new CliExit(EXIT.storage, `storage_failed: ${fault.reason} (${fault.code})${after}`);
}
