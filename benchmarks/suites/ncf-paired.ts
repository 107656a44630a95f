/**
 * `ncf-paired`: our MF, GMF, MLP or NeuMF against the PyTorch peer's on **identical random inputs**. The peer
 * (`scripts/paired-run.py`, which drives `../shared/peers/torch_recsys.py`'s own model, sampler and evaluation)
 * trains with its seed and writes its initial parameters and every epoch's examples in batch order; ours starts
 * from those parameters and replays those batches. With the same arithmetic the two runs must follow each other
 * epoch by epoch (float32 rounding apart), so a systematic gap between the implementations shows up here in one
 * run instead of as a mean over many seeds. This is how lazy Adam's catch-up was found to lag dense Adam.
 *
 *   pnpm bench ncf-paired [--json out.json] [--model mf|gmf|mlp|neumf] [--seed 42] [--epochs 20] [--data ml-100k]
 *     [--backend wasm|cpu]
 *
 * Summary: `paired.loss_max_abs_diff` (largest per-epoch difference of the mean training loss),
 * `paired.hr10_ours` / `paired.hr10_peer` / `paired.ndcg10_ours` / `paired.ndcg10_peer` (last epoch, sampled,
 * K = 10), `paired.hr10_max_abs_diff` (over epochs).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fit, initBackend, parseBackendPreference, tf } from '@ncf/core';
import type { BatchSource, PointwiseBatch } from '@ncf/core';
import { evaluate } from '@ncf/eval';
import { gmfFactory, mfFactory, mlpFactory, neumfFactory } from '@ncf/models-ncf';
import type { ModelFactory } from '@ncf/core';
import { detectPeerBlas, peerBlasNote } from '../src/peer-blas.js';
import type { Suite, SuiteContext, SuiteResult } from '../src/suite.js';
import { flagValue, numberFlag } from '../src/suite-args.js';
import { loadNcfEvalSplit } from '../src/ncf-split.js';

/** The paper defaults both sides use (He et al., WWW 2017). */
const FACTORS = 8;
const LR = 0.001;
const BATCH = 256;
const NEGATIVES = 4;
const LAYERS = [64, 32, 16, 8];

const MODELS: Record<string, { factory: ModelFactory<object>; config: object }> = {
  mf: { factory: mfFactory as unknown as ModelFactory<object>, config: { factors: FACTORS } },
  gmf: { factory: gmfFactory as unknown as ModelFactory<object>, config: { factors: FACTORS } },
  mlp: { factory: mlpFactory as unknown as ModelFactory<object>, config: { layers: LAYERS } },
  neumf: {
    factory: neumfFactory as unknown as ModelFactory<object>,
    config: { factors: FACTORS, layers: LAYERS },
  },
};

interface EpochLine {
  readonly epoch: number;
  readonly loss: number;
  readonly hr: number;
  readonly ndcg: number;
}

function runPeer(python: string, args: readonly string[], log: (m: string) => void): Promise<EpochLine[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: EpochLine[] = [];
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl).trim();
        out = out.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        const e = JSON.parse(line) as EpochLine;
        lines.push(e);
        log(
          `  peer epoch ${e.epoch}: loss ${e.loss.toFixed(5)} HR@10 ${e.hr.toFixed(4)} NDCG@10 ${e.ndcg.toFixed(4)}`,
        );
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(lines);
      else reject(new Error(`${path.basename(args[0]!)} exited with ${code}: ${err.slice(-2000)}`));
    });
  });
}

function readTyped<T extends Float32Array | Int32Array>(file: string, make: (b: ArrayBuffer) => T): T {
  const b = readFileSync(file);
  return make(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** The peer's batches of each epoch, replayed in its order (`fit` asks for one epoch at a time). */
function replaySource(dir: string, size: number): BatchSource<PointwiseBatch> {
  let epoch = 0;
  return {
    kind: 'pointwise',
    size,
    *batches(batchSize: number): Iterable<PointwiseBatch> {
      epoch += 1;
      const users = readTyped(path.join(dir, `U${epoch}.i32`), (b) => new Int32Array(b));
      const items = readTyped(path.join(dir, `I${epoch}.i32`), (b) => new Int32Array(b));
      const labels = readTyped(path.join(dir, `Y${epoch}.f32`), (b) => new Float32Array(b));
      for (let a = 0; a < users.length; a += batchSize) {
        const b = Math.min(users.length, a + batchSize);
        yield {
          kind: 'pointwise',
          users: users.subarray(a, b),
          items: items.subarray(a, b),
          labels: labels.subarray(a, b),
        };
      }
    },
  };
}

export const suite: Suite = {
  name: 'ncf-paired',
  description:
    "our MF/GMF/MLP/NeuMF vs the PyTorch peer's on identical inputs (its initial weights, negatives and batch order): per-epoch training loss and sampled HR@10 / NDCG@10 side by side",
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    if (ctx.python === undefined) throw new Error('ncf-paired needs python with torch (the peer)');
    const seed = numberFlag(ctx.args, '--seed', 42);
    const epochs = numberFlag(ctx.args, '--epochs', 20);
    const data = flagValue(ctx.args, '--data') ?? 'ml-100k';
    const modelName = flagValue(ctx.args, '--model') ?? 'mf';
    const spec = MODELS[modelName];
    if (spec === undefined) throw new Error(`--model: unknown model '${modelName}' (mf, gmf, mlp, neumf)`);
    const backend = await initBackend(parseBackendPreference(flagValue(ctx.args, '--backend') ?? 'auto'));
    const prefix = path.join(ctx.sharedData, `${data}-loo`, data);
    const work = mkdtempSync(path.join(tmpdir(), 'ncf-paired-'));
    try {
      ctx.log(`peer: ${modelName} seed ${seed}, ${epochs} epochs, writing its inputs to ${work}`);
      const peer = await runPeer(
        ctx.python,
        [
          path.join(ctx.repoRoot, 'benchmarks', 'scripts', 'paired-run.py'),
          ...['--model', modelName, '--layers', LAYERS.join(',')],
          ...['--peers', ctx.peers, '--data', prefix, '--out', work, '--seed', String(seed)],
          ...['--epochs', String(epochs), '--factors', String(FACTORS), '--lr', String(LR)],
          ...['--batch', String(BATCH), '--negatives', String(NEGATIVES)],
        ],
        ctx.log,
      );
      const split = await loadNcfEvalSplit(ctx.sharedData, data);
      const evalData = split.data;
      const info = split.info;
      const model = spec.factory.create(info, spec.config, { seed });
      const ours: EpochLine[] = [];
      try {
        // Every parameter from the peer's initial values (its Linear weights already transposed to our kernels).
        tf.tidy(() => {
          for (const v of model.variables()) {
            const file = path.join(work, 'init', `${v.name.replace(/\//g, '__')}.f32`);
            const values = readTyped(file, (b) => new Float32Array(b));
            if (values.length !== v.variable.size) {
              throw new Error(`${file}: ${values.length} values, '${v.name}' has ${v.variable.size}`);
            }
            v.variable.assign(tf.tensor(values, v.variable.shape));
          }
        });
        const size = split.train.length * (1 + NEGATIVES);
        await fit(model, replaySource(work, size), {
          epochs,
          batchSize: BATCH,
          seed,
          optimizer: { name: 'adam', learningRate: LR },
          validate: async (trained) =>
            (await evaluate(trained, evalData, { protocol: 'sampled', k: 10 })).metrics,
          onEpochEnd: (r) => {
            const e = {
              epoch: r.epoch,
              loss: r.loss,
              hr: r.metrics!['hr@10']!,
              ndcg: r.metrics!['ndcg@10']!,
            };
            ours.push(e);
            ctx.log(
              `  ours epoch ${e.epoch}: loss ${e.loss.toFixed(5)} HR@10 ${e.hr.toFixed(4)} NDCG@10 ${e.ndcg.toFixed(4)}`,
            );
          },
        });
      } finally {
        model.dispose();
      }
      const rows = ours.map((o, i) => {
        const p = peer[i]!;
        return {
          epoch: o.epoch,
          'loss ours': o.loss.toFixed(5),
          'loss peer': p.loss.toFixed(5),
          'HR@10 ours': o.hr.toFixed(4),
          'HR@10 peer': p.hr.toFixed(4),
          'NDCG@10 ours': o.ndcg.toFixed(4),
          'NDCG@10 peer': p.ndcg.toFixed(4),
        };
      });
      const maxDiff = (f: (e: EpochLine) => number): number =>
        Math.max(...ours.map((o, i) => Math.abs(f(o) - f(peer[i]!))));
      const last = ours.length - 1;
      const peerBlas = detectPeerBlas(ctx.python);
      return {
        rows,
        summary: {
          'paired.loss_max_abs_diff': maxDiff((e) => e.loss),
          'paired.hr10_max_abs_diff': maxDiff((e) => e.hr),
          'paired.hr10_ours': ours[last]!.hr,
          'paired.hr10_peer': peer[last]!.hr,
          'paired.ndcg10_ours': ours[last]!.ndcg,
          'paired.ndcg10_peer': peer[last]!.ndcg,
          threads: backend.threads,
        },
        notes: [
          `${data}-loo, ${modelName} (${FACTORS} factors, MLP ${LAYERS.join('-')}), ${NEGATIVES} negatives, Adam lr ${LR}, batch ${BATCH}, seed ${seed}; backend ${backend.name}`,
          "both sides train from the peer's initial parameters on its batches; loss = mean batch loss of the epoch",
          peerBlasNote(peerBlas),
        ],
        ...(peerBlas !== undefined ? { peerBlas } : {}),
      };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};
