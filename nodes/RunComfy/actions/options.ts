import { optionsField as sharedOptionsField } from '../../shared/descriptions/options';
import { OPERATIONS } from './descriptions';

/** The Options collection: each option shown only for the operations that read it. */

const waiting = [OPERATIONS.run, OPERATIONS.waitForCompletion];

export const optionsField = sharedOptionsField(
	{
		submitting: [OPERATIONS.run, OPERATIONS.submit],
		waiting,
		resulting: [...waiting, OPERATIONS.getResult, OPERATIONS.checkJob],
	},
	{
		download: 'Download Files',
		downloadDescription:
			'Whether to attach every file the model returns as binary data (data, data_1, …). RunComfy URLs expire after some days.',
		binaryHint:
			'The name of the output binary field for the first file; further files get _1, _2, …',
	},
);
