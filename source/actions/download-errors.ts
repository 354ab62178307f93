// How a download fails on its own side, in one line fit for the footer: the folder, a file already
// there, the disk. Everything else (the link, the network, a timeout, a file that is not gzip) is
// named as for every reader of the file (attachment-errors.ts).
import {AttachmentError as DownloadError, errorCode, type AttachmentErrorKind} from './attachment-errors.js';

export {DownloadError, errorCode};
export type DownloadErrorKind = AttachmentErrorKind;

/** The failure of saving the file, when it is one the disk or the folder raised; undefined otherwise. */
export function localFailure(error: unknown, code: string | undefined, dir: string): DownloadError | undefined {
	return isFileError(error) || (code !== undefined && diskOnlyCodes.has(code)) ? diskError(code, dir) : undefined;
}

function diskError(code: string | undefined, dir: string): DownloadError {
	switch (code) {
		case 'ENOSPC': {
			return new DownloadError('disk', `Download failed: the disk is full (no space left in ${dir})`);
		}

		case 'EDQUOT': {
			return new DownloadError('disk', `Download failed: your disk quota is used up (no space left in ${dir})`);
		}

		case 'EFBIG': {
			return new DownloadError('disk', `Download failed: the file is too large for the file system of ${dir}`);
		}

		case 'EACCES':
		case 'EPERM': {
			return new DownloadError('disk', `Download failed: no permission to write in ${dir}`);
		}

		case 'EROFS': {
			return new DownloadError('disk', `Download failed: ${dir} is on a read-only file system`);
		}

		case 'ENOENT':
		case 'ENOTDIR': {
			return new DownloadError('disk', `Download failed: the folder ${dir} went away`);
		}

		default: {
			return new DownloadError('disk', `Download failed: cannot write in ${dir}${code ? ` (${code})` : ''}`);
		}
	}
}

export function existsError(destination: string): DownloadError {
	return new DownloadError('exists', `${destination} already exists, not overwritten`, {path: destination});
}

/**
 * Errors only a file system raises. A write to an open file (the download's body) fails without
 * naming its path, so these codes are what tells a full disk from a network failure.
 */
const diskOnlyCodes = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EROFS']);

/** fs errors name their path; socket errors do not. */
function isFileError(error: unknown): boolean {
	return typeof error === 'object' && error !== null && typeof (error as {path?: unknown}).path === 'string';
}
