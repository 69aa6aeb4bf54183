/**
 * What differs between the n8n lines in queue mode, read in each line's installed sources (the
 * cache folder's node_modules/n8n/dist and node_modules/n8n-core/dist) and measured by
 * `npm run test:n8n:queue`. Like versions.ts, everything follows from the line's major.
 */
import type { N8nLine } from '../versions';

const MiB = 1024 * 1024;
/** the large videos, where n8n can hold them: the database mode of either line */
export const BIG_BYTES = 200 * MiB;

export interface QueueLine {
	/**
	 * The binary data mode n8n uses in queue mode when N8N_DEFAULT_BINARY_DATA_MODE is unset, as its
	 * BinaryDataConfig decides: 2.x `mode ??= queue ? 'database' : 'filesystem'`; 1.x always
	 * `'default'` (in memory: each file base64 inside the execution's data).
	 */
	binaryMode: 'database' | 'default';
	/** how the table names that mode */
	binaryModeLabel: string;
	/** environment that selects `binaryMode` for every process (n8n's own default, said explicitly) */
	binaryEnv: Record<string, string>;
	/**
	 * Environment that turns on the `database` mode, for the workers of the last checks. 1.123 has
	 * the mode (n8n/dist/binary-data/database.manager.js) but registers it only when
	 * N8N_AVAILABLE_BINARY_DATA_MODES lists it (base-command.js `initBinaryDataService`; its default
	 * is `filesystem` alone); without that, N8N_DEFAULT_BINARY_DATA_MODE=database keeps files in
	 * memory without a word (read in BinaryDataService.store: no manager → base64 in the item; not
	 * run here).
	 */
	databaseEnv: Record<string, string>;
	/** size of each of the three videos of the large-download checks in `binaryMode` */
	bigBytes: number;
	/**
	 * In memory (1.x), the size of each of three videos that is more than n8n can save in one
	 * execution (checks.ts `tooBigToSave`); then the same in the database mode, turned on for one
	 * worker. Undefined where the line's default mode is already `database`.
	 */
	inMemoryLimitBytes?: number;
	/**
	 * Whether Bull hands a job whose worker died to another worker (1.x: the queue's settings keep
	 * Bull's `maxStalledCount` at 1, QUEUE_WORKER_MAX_STALLED_COUNT; 2.x: scaling.service.js forces
	 * `maxStalledCount: 0`).
	 */
	rerunsStalledJobs: boolean;
	/** the database mode's size limit as the oversize check meets it */
	oversize: {
		/** the limit n8n applies, MiB */
		limitMiB: number;
		/** what the check sets (an operator's attempt to lower the limit) */
		env: Record<string, string>;
		/** the video the check serves: over the limit */
		videoBytes: number;
		/**
		 * 1.123 cannot read N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE: its schema is `z.number()`, which
		 * refuses the environment's string ("Invalid value for N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE -
		 * Expected number, received string. Falling back to default value."), so the limit stays 512
		 * MiB; 2.41's is `z.coerce.number()`.
		 */
		envIgnored: boolean;
	};
}

const LIMIT_ENV = 'N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE';
/** the small limit the oversize check asks for */
const ASKED_LIMIT_MIB = 50;

export function queueLineOf(line: N8nLine): QueueLine {
	const major = Number(line.version.split('.')[0]);
	const databaseEnv = { N8N_DEFAULT_BINARY_DATA_MODE: 'database' };
	if (major >= 2) {
		return {
			binaryMode: 'database',
			binaryModeLabel: 'database (queue-mode default)',
			binaryEnv: databaseEnv,
			databaseEnv,
			bigBytes: BIG_BYTES,
			rerunsStalledJobs: false,
			oversize: {
				limitMiB: ASKED_LIMIT_MIB,
				env: { [LIMIT_ENV]: String(ASKED_LIMIT_MIB) },
				videoBytes: 64 * MiB,
				envIgnored: false,
			},
		};
	}
	return {
		binaryMode: 'default',
		binaryModeLabel: "default (in memory, 1.x's default in queue mode too)",
		binaryEnv: { N8N_DEFAULT_BINARY_DATA_MODE: 'default' },
		databaseEnv: { ...databaseEnv, N8N_AVAILABLE_BINARY_DATA_MODES: 'filesystem,database' },
		// In memory n8n saves an execution's data as one string, at most 536 870 888 characters in
		// V8: all the files of one execution must stay under about 384 MiB together (base64). Three
		// videos of 100 MiB fit; three of 200 MiB do not (measured: tooBigToSave).
		bigBytes: 100 * MiB,
		inMemoryLimitBytes: BIG_BYTES,
		rerunsStalledJobs: true,
		// n8n's default limit, the only one 1.123 applies: a video 1 MiB over it.
		oversize: {
			limitMiB: 512,
			env: { [LIMIT_ENV]: String(ASKED_LIMIT_MIB) },
			videoBytes: 513 * MiB,
			envIgnored: true,
		},
	};
}

/**
 * The size of one large video: `bigBytes` plus the item's index. The emulator's videos of one size
 * are byte-identical, and n8n's in-memory mode saves an execution's data with `flatted`, which
 * keeps one copy of equal strings: three equal videos would cost the saved execution one. Real
 * videos differ; so do these.
 */
export function bigVideoBytes(bigBytes: number, prompt: string): number {
	return bigBytes + Number(/item (\d+)/.exec(prompt)?.[1] ?? 0);
}
