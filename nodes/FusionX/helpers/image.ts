/**
 * Start frames sent as bytes (a binary field or a data: URI typed into Image URL). RunComfy's
 * data: URI support is PNG/JPEG/WebP up to 6 MiB; anything else would be paid for and then fail,
 * so the bytes themselves are checked, not only the label. Pure functions: they return the
 * message for the user instead of throwing.
 */

/** Documented for images; data URIs follow RunComfy's other endpoints (6 MiB). */
export const MAX_DATA_URI_IMAGE_BYTES = 6 * 1024 * 1024;

export type ImageType = 'image/png' | 'image/jpeg' | 'image/webp';

/** Declared types accepted; `image/jpg` is a common mislabel of JPEG. */
const DECLARED_TYPES = new Set(['image/png', 'image/jpeg', 'image/jpg', 'image/webp']);

export const ALLOWED_IMAGES = 'PNG, JPEG or WebP';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

const startsWith = (bytes: Uint8Array, magic: number[], at = 0) =>
	bytes.length >= at + magic.length && magic.every((byte, index) => bytes[at + index] === byte);

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

/** The image type the bytes really are (by their magic bytes), if PNG, JPEG or WebP. */
export function detectImageType(bytes: Uint8Array): ImageType | undefined {
	if (startsWith(bytes, PNG_MAGIC)) return 'image/png';
	if (startsWith(bytes, JPEG_MAGIC)) return 'image/jpeg';
	if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
	return undefined;
}

/** "image/PNG; name=a.png" → "image/png". */
export function baseMimeType(mimeType: string | undefined): string {
	return (mimeType ?? '').split(';')[0].trim().toLowerCase();
}

export const isAllowedImageType = (mimeType: string | undefined) =>
	DECLARED_TYPES.has(baseMimeType(mimeType));

/** Sizes shown rounded up, so 6 MB + 1 byte never reads "6.0 MB; at most 6 MB". */
export const megabytes = (bytes: number) => (Math.ceil((bytes / 1048576) * 10) / 10).toFixed(1);

export type ImageCheck = { value: ImageType } | { problem: string };

/** Where the bytes came from, for messages: `Input Binary Field "data"`, sent "from binary". */
export interface ImageSource {
	subject: string;
	via: string;
}

/** The declared type must be PNG/JPEG/WebP; `undefined` when it is. */
export function declaredTypeProblem(source: ImageSource, declared: string | undefined) {
	if (isAllowedImageType(declared)) return undefined;
	const type = baseMimeType(declared);
	if (!type.startsWith('image/')) {
		return `${source.subject} holds ${type || 'a file of unknown type'}, not an image: use a ${ALLOWED_IMAGES} start frame`;
	}
	return `${source.subject} holds ${type}: only ${ALLOWED_IMAGES} start frames are allowed`;
}

/** Size and magic bytes (`head`: at least the first 12); the type to send is the real one. */
export function checkImageBytes(
	source: ImageSource,
	size: number,
	head: Uint8Array,
	declared: string,
): ImageCheck {
	if (size === 0) {
		return { problem: `${source.subject} is empty (0 bytes): use a ${ALLOWED_IMAGES} start frame` };
	}
	if (size > MAX_DATA_URI_IMAGE_BYTES) {
		return {
			problem: `${source.subject} is ${megabytes(size)} MB; images sent ${source.via} may be at most 6 MB. Use a smaller image or a hosted URL.`,
		};
	}
	const mimeType = detectImageType(head);
	if (!mimeType) {
		return {
			problem: `${source.subject} is labelled ${baseMimeType(declared)} but its content is not a ${ALLOWED_IMAGES} image`,
		};
	}
	return { value: mimeType };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const DATA_URI: ImageSource = { subject: 'The data: URI in Image URL', via: 'as data: URIs' };

/**
 * Checks a `data:image/…;base64,…` URI typed into Image URL like a binary start frame; returns it
 * with the type its bytes really have.
 */
export function checkImageDataUri(uri: string): { value: string } | { problem: string } {
	const comma = uri.indexOf(',');
	const [declared, ...params] = uri
		.slice('data:'.length, comma < 0 ? uri.length : comma)
		.split(';');
	const typeProblem = declaredTypeProblem(DATA_URI, declared);
	if (typeProblem) return { problem: typeProblem };
	if (comma < 0 || params[params.length - 1]?.trim().toLowerCase() !== 'base64') {
		return {
			problem: `${DATA_URI.subject} must be base64-encoded, like data:image/png;base64,iVBORw0…`,
		};
	}
	const payload = uri.slice(comma + 1);
	if (payload.length % 4 !== 0 || !BASE64.test(payload)) {
		return { problem: `${DATA_URI.subject} is not valid base64 after "base64,"` };
	}
	// Only the first bytes are decoded: the size follows from the length, the type from the head.
	const padding = payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0;
	const size = (payload.length / 4) * 3 - padding;
	const head = Buffer.from(payload.slice(0, 16), 'base64');
	const checked = checkImageBytes(DATA_URI, size, head, declared);
	if ('problem' in checked) return checked;
	return { value: `data:${checked.value};base64,${payload}` };
}
