import { optionsField as sharedOptionsField } from '../../shared/descriptions/options';
import { RESULTING, SUBMITTING, WAITING } from './operations';

/** The Options collection: each option shown only for the operations that read it. */
export const optionsField = sharedOptionsField(
	{ submitting: SUBMITTING, waiting: WAITING, resulting: RESULTING },
	{
		download: 'Download Files',
		downloadDescription:
			'Whether to attach every file the job returns as binary data (data, data_1, …). RunComfy deletes output files after some days (a deployment’s after 7).',
		binaryHint:
			'The name of the output binary field for the first file; further files get _1, _2, …',
	},
);
