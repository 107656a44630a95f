import os from 'node:os';

/** The machine a benchmark ran on, as recorded in every JSON report. */
export interface MachineInfo {
  readonly cpus: number;
  readonly model: string;
  readonly node: string;
  readonly os: string;
}

/** Describes this machine: logical CPUs, CPU model, Node version and OS. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}
