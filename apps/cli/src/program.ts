import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { ConfigError } from '@ncf/core';
import { processIo, type CliIo } from './cli-io.js';
import { readConfigFile, type GlobalOptions } from './global-options.js';
import { EXIT_CODES, reportError } from './report-error.js';
import { DEMO_DEFAULTS, runDemo } from './commands/demo.js';
import { SYNTHETIC_DATA_DEFAULTS } from './wiring/data-source.js';
import { runTrain } from './commands/train.js';
import { runEvaluate } from './commands/evaluate.js';
import { runRecommend } from './commands/recommend.js';
import { runSimilar } from './commands/similar.js';
import { runInfo } from './commands/info.js';
import { describeModel, runModels } from './commands/models.js';
import { cliRegistry } from './wiring/registry.js';
import { runServe } from './commands/serve.js';
import { runExportWeb } from './commands/export-web.js';

function cliVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Fills options not given on the command line from `--config <file>`; unknown keys are a ConfigError. */
function applyConfigFile(command: Command, file: string): void {
  const values = readConfigFile(file, command.name());
  const known = new Map(command.options.map((o) => [o.attributeName(), o]));
  for (const [key, value] of Object.entries(values)) {
    if (!known.has(key)) {
      throw new ConfigError(
        `config file ${file}: '${key}' is not an option of \`ncf ${command.name()}\` (options: ${[...known.keys()].join(', ')})`,
        key,
      );
    }
    const source = command.getOptionValueSource(key);
    if (source !== 'cli' && source !== 'env') command.setOptionValueWithSource(key, value, 'config');
  }
}

/** `ncf train --model X --help`: the model's training defaults and config fields after the options. */
function modelHelp(command: Command): string {
  const model = (command.opts() as { model?: unknown }).model;
  if (typeof model !== 'string') {
    return "\nTraining settings default to the model's own (`ncf train --model <kind> --help`, `ncf models <kind>`).";
  }
  try {
    return `\n${describeModel(cliRegistry(), model).join('\n')}`;
  } catch (err) {
    return `\n${(err as Error).message}`;
  }
}

const TRAINING_OPTIONS = (cmd: Command): Command =>
  cmd
    .option(
      '--model <kind>',
      'model kind: mf, gmf, mlp, neumf, basic, lightgcn (or a registered kind such as ncf/neumf)',
    )
    .option('--epochs <n>', 'training epochs')
    .option('--batch-size <n>', 'examples per optimizer step')
    .option('--learning-rate <x>', 'optimizer learning rate')
    .option('--lr-decay <factor>', 'multiply the learning rate by this factor every epoch, e.g. 0.85')
    .option('--optimizer <name>', 'adam, sgd or adagrad')
    .option('--l2 <x>', 'L2 penalty on embeddings')
    .option('--factors <n>', 'embedding size (predictive factors)')
    .option(
      '--layers <widths>',
      'MLP tower widths, e.g. 64,32,16,8 (graph models: number of propagation layers)',
    )
    .option('--loss <name>', 'bce (implicit, sampled negatives), mse (ratings) or bpr (pairwise)')
    .option('--model-config <json>', 'further model config fields as JSON, e.g. \'{"initStd":0.05}\'')
    .option('--negatives <n>', 'sampled negatives per positive')
    .option('--seed <n>', 'seed of everything random', '42');

/**
 * Builds the `ncf` command-line program. Commands wire \@ncf's packages together (data from \@ncf/movielens and
 * \@ncf/datasets, models from \@ncf/models-ncf through the registry, training with \@ncf/core's fit(), metrics
 * from \@ncf/eval); none holds model or metric logic of its own.
 */
export function createProgram(io: CliIo = processIo()): Command {
  const program = new Command('ncf');
  program
    .description('Neural collaborative filtering for Node.js: train, evaluate and query recommenders.')
    .version(cliVersion())
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
    })
    .showHelpAfterError('(run `ncf --help` for usage)')
    .addOption(
      new Option('--backend <name>', 'compute backend (default: env NCF_BACKEND, else auto)').choices([
        'auto',
        'wasm',
        'cpu',
        'tensorflow',
      ]),
    )
    .option('--config <file>', 'JSON file of command options (flags win); may hold per-command sections')
    .option('--verbose', 'print stack traces with errors')
    .hook('preAction', (_root, action) => {
      const file = (action.optsWithGlobals() as GlobalOptions).config;
      if (file !== undefined) applyConfigFile(action, file);
    });

  TRAINING_OPTIONS(
    program
      .command('demo')
      .description(
        'generate a synthetic MovieLens-like dataset, train a model, evaluate it against the popularity baseline',
      )
      .option('--users <n>', 'synthetic users')
      .option('--items <n>', 'synthetic items')
      .option('--data-dir <dir>', 'where the generated dataset is written (default: a cache dir)')
      .option('--json <file>', 'also write the results as JSON')
      .addHelpText(
        'after',
        `\nDefaults: --model ${DEMO_DEFAULTS.model} --epochs ${DEMO_DEFAULTS.epochs} --batch-size ${DEMO_DEFAULTS.batchSize} ` +
          `--learning-rate ${DEMO_DEFAULTS.learningRate} --users ${SYNTHETIC_DATA_DEFAULTS.users} --items ${SYNTHETIC_DATA_DEFAULTS.items}; ` +
          "other fields take the model's and fit()'s defaults (see `ncf models`).",
      ),
  ).action(async (opts, cmd: Command) => runDemo({ ...cmd.optsWithGlobals(), ...opts }, io));

  TRAINING_OPTIONS(
    program
      .command('train')
      .description('train a model on a dataset and save it')
      .option(
        '--data <file|dir|variant>',
        'interactions file (CSV/TSV/JSON lines), MovieLens dir, NCF split dir, MovieLens variant (ml-100k, ...) or "synthetic"',
      )
      .option('--format <name>', '--data <file>: csv, tsv or jsonl (default: from the extension)')
      .option('--delimiter <sep>', '--data <file>: field separator (default: detected from line 1)')
      .option('--user-col <name|n>', '--data <file>: user column (default: header user/userId…, else 0)')
      .option('--item-col <name|n>', '--data <file>: item column (default: header item/movieId…, else 1)')
      .option('--rating-col <name|n>', '--data <file>: rating column (default: header rating…, else 2)')
      .option(
        '--timestamp-col <name|n>',
        '--data <file>: timestamp column (default: header timestamp…, else 3)',
      )
      .option('--out <dir>', 'where to save the trained model (checked before the data is read)')
      .option('--force', 'replace a model already saved in --out')
      .option('--holdout <how>', 'loo (leave-one-out test split) or none (train on everything)', 'loo')
      .addHelpText('after', (context) => modelHelp(context.command)),
  ).action(async (opts, cmd: Command) => runTrain({ ...cmd.optsWithGlobals(), ...opts }, io));

  program
    .command('evaluate')
    .description(
      'evaluate a saved model (HR, NDCG at K; full ranking or sampled) beside the popularity baseline',
    )
    .option('--model-dir <dir>', 'a directory written by `ncf train`')
    .option('--data <dir|variant>', 'dataset (default: the one the model was trained on)')
    .option('-k, --k <n>', 'cut-off K', '10')
    .addOption(
      new Option('--protocol <name>', 'evaluation protocol').choices(['full', 'sampled']).default('full'),
    )
    .option('--sampled-negatives <n>', 'negatives per test item for --protocol sampled', '99')
    .option('--seed <n>', 'seed of the split and of sampled negatives', '42')
    .option('--json <file>', 'also write the results as JSON')
    .action(async (opts, cmd: Command) => runEvaluate({ ...cmd.optsWithGlobals(), ...opts }, io));

  program
    .command('recommend')
    .description("top-K items for a user from a saved model (the user's seen items excluded)")
    .option('--model-dir <dir>', 'a directory written by `ncf train`')
    .option('--user <id>', 'external user id')
    .option(
      '--ratings <file>',
      'a new user\'s ratings instead of --user: JSON [{"item":50,"rating":5}], JSON lines or CSV item,rating',
    )
    .option('--explain', 'with --ratings: print the rated items the recommendations come from')
    .option('--json', 'print one JSON document on stdout (diagnostics on stderr)')
    .option('-k, --k <n>', 'how many items', '10')
    .option('--data <dir|variant>', 'dataset whose interactions mark seen items (default: the training data)')
    .option('--include-seen', 'do not exclude items the user has interacted with (or rated, with --ratings)')
    .action(async (opts, cmd: Command) => runRecommend({ ...cmd.optsWithGlobals(), ...opts }, io));

  program
    .command('similar')
    .description("the items most like one item (cosine of the model's item vectors)")
    .option('--model-dir <dir>', 'a directory written by `ncf train`')
    .option('--item <id>', 'external item id')
    .option('-k, --k <n>', 'how many items', '10')
    .option('--json', 'print one JSON document on stdout (diagnostics on stderr)')
    .action(async (opts, cmd: Command) => runSimilar({ ...cmd.optsWithGlobals(), ...opts }, io));

  program
    .command('info')
    .description('describe a saved model: kind, config, dataset sizes, training metadata, versions')
    .argument('<dir>', 'a directory written by `ncf train`')
    .action(async (dir: string, _opts, cmd: Command) => runInfo({ ...cmd.optsWithGlobals(), dir }, io));

  program
    .command('serve')
    .description(
      'serve a saved model over HTTP (JSON API + OpenAPI at /openapi.json); SIGHUP reloads, SIGTERM stops',
    )
    .option('--model-dir <dir>', 'a directory written by `ncf train` (reloads read it again)')
    .option(
      '--host <address>',
      'interface to listen on (other machines reach it only if you widen this)',
      '127.0.0.1',
    )
    .option('--port <n>', 'TCP port (0: any free port)', '8080')
    .option('--data <dir|variant>', 'data for titles and seen items (default: the training data)')
    .option('--cors <origins>', "allowed CORS origins, comma-separated, or '*' (default: CORS off)")
    .option('--max-k <n>', 'largest k a request may ask for', '100')
    .option('--log-level <level>', 'silent, fatal, error, warn, info (no bodies), debug or trace', 'info')
    .option('--web [dir]', 'also serve the web page at / (default: the built @ncf/web page)')
    .action(async (opts, cmd: Command) => runServe({ ...cmd.optsWithGlobals(), ...opts }, io));

  program
    .command('export-web')
    .description(
      'write a static folder that recommends in the browser: the web page, the model files, a catalogue',
    )
    .option('--model-dir <dir>', 'a directory written by `ncf train`')
    .option('--out <dir>', 'the folder to write (served by any static file server)')
    .option('--data <dir|variant>', 'data for titles and popularity (default: the training data)')
    .option('--web-dist <dir>', 'the built page to copy (default: the built @ncf/web page)')
    .action(async (opts, cmd: Command) => runExportWeb({ ...cmd.optsWithGlobals(), ...opts }, io));

  program
    .command('models')
    .description(
      'list the model kinds the CLI can train; with a kind: its training defaults, data and config fields',
    )
    .argument('[kind]', 'a model kind or short name, e.g. lightgcn')
    .action(async (kind: string | undefined, _opts, cmd: Command) =>
      runModels({ ...cmd.optsWithGlobals(), ...(kind !== undefined ? { kind } : {}) }, io),
    );

  return program;
}

/**
 * Runs the CLI on `argv` (arguments after the program name) and returns the exit code ({@link EXIT_CODES}):
 * 0 on success, 1 for runtime failures (bad data, bad model files, unexpected errors), 2 for usage errors
 * (unknown options, bad option values or config files); errors are one line on stderr (stack with `--verbose`).
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_CODES.ok;
  } catch (err) {
    return reportError(err, io, argv.includes('--verbose'));
  }
}
