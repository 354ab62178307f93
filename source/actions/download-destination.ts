// The file a download ends in: the folder is checked first, an existing file is never replaced, and
// the complete file gets its name in one step (a hard link, or an exclusive create then a rename).
import {link, lstat, open, rename, rm, stat} from 'node:fs/promises';
import {DownloadError, errorCode, existsError} from './download-errors.js';

export async function checkFolder(dir: string): Promise<void> {
	let info;
	try {
		info = await stat(dir);
	} catch (error: unknown) {
		const code = errorCode(error);
		throw new DownloadError(
			'folder',
			code === 'ENOENT' ? `Download folder ${dir} does not exist` : `Download folder ${dir} cannot be read${code ? ` (${code})` : ''}`,
		);
	}

	if (!info.isDirectory()) {
		throw new DownloadError('folder', `Download folder ${dir} is not a folder`);
	}
}

export async function exists(file: string): Promise<boolean> {
	try {
		await lstat(file);
		return true;
	} catch (error: unknown) {
		const code = errorCode(error);
		if (code === 'ENOENT') {
			return false;
		}

		throw new DownloadError('folder', `Cannot check whether ${file} exists${code ? ` (${code})` : ''}`);
	}
}

/** Errors of link() that mean "no hard links on this file system", not "cannot write". */
const noHardLinks = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * Gives the complete temporary file its final name without ever replacing a file: link() fails
 * with EEXIST when the name is taken (atomically). Where hard links are not supported, the name
 * is first reserved with an exclusive create, then the file is moved over that reservation.
 * The temporary name is left for the caller to remove.
 */
export async function placeFile(
	temporary: string,
	destination: string,
	fs: {link: (from: string, to: string) => Promise<void>} = {link},
): Promise<void> {
	try {
		await fs.link(temporary, destination);
		return;
	} catch (error: unknown) {
		const code = errorCode(error);
		if (code === 'EEXIST') {
			throw existsError(destination);
		}

		if (code === undefined || !noHardLinks.has(code)) {
			throw error;
		}
	}

	let reservation;
	try {
		reservation = await open(destination, 'wx');
	} catch (error: unknown) {
		if (errorCode(error) === 'EEXIST') {
			throw existsError(destination);
		}

		throw error;
	}

	await reservation.close();
	try {
		await rename(temporary, destination);
	} catch (error: unknown) {
		await rm(destination, {force: true}).catch(() => undefined);
		throw error;
	}
}
