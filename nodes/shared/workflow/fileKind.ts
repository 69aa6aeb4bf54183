import type { MediaKind } from '../output/media';

/**
 * What a workflow's output file is: by its extension first (ComfyUI nodes put videos and .zip
 * files under `images`), then by the channel it came under; anything else is a plain file.
 */

const EXTENSIONS: Record<string, MediaKind> = {};
const add = (kind: MediaKind, list: string) => {
	for (const extension of list.split(' ')) EXTENSIONS[extension] = kind;
};
add('image', 'png jpg jpeg webp gif bmp tif tiff avif heic heif apng svg exr');
add('video', 'mp4 webm mov mkv avi m4v mpg mpeg wmv flv 3gp');
add('audio', 'mp3 wav flac ogg oga opus m4a aac wma aiff aif');

const CHANNELS: Record<string, MediaKind> = {
	images: 'image',
	image: 'image',
	// VHS's Video Combine reports its videos as `gifs`.
	gifs: 'video',
	videos: 'video',
	video: 'video',
	audio: 'audio',
	audios: 'audio',
};

export function extensionOf(name: string): string | undefined {
	const base = name.split(/[?#]/)[0].split('/').pop() ?? '';
	const at = base.lastIndexOf('.');
	return at > 0 ? base.slice(at + 1).toLowerCase() : undefined;
}

/** The kind of a file named `filename` (or found at `url`) under `channel`. */
export function fileKind(filename: string | undefined, url: string, channel: string): MediaKind {
	const extension = extensionOf(filename ?? '') ?? extensionOf(new URL(url).pathname);
	if (extension !== undefined) return EXTENSIONS[extension] ?? 'file';
	return CHANNELS[channel.toLowerCase()] ?? 'file';
}
