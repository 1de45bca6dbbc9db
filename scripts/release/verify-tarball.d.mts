// Types of verify-tarball.mjs for the TypeScript that imports it (scripts/release-check.test.ts).

/** A file the package needs and does not contain. */
export interface MissingFile {
  /** The file (or `package.json <field>`) that refers to it. */
  from: string;
  /** The reference as written. */
  specifier: string;
  /** The path inside the package it resolves to. */
  resolved: string;
}

/** What {@link verifyPackageFiles} found. */
export interface PackageCheck {
  name: string;
  version: string;
  files: string[];
  missing: MissingFile[];
  undeclared: { from: string; specifier: string }[];
  warnings: string[];
}

/** Reads a `.tgz` written by `npm pack` into path (without `package/`) → contents. */
export function readTarball(tgzPath: string): Map<string, Buffer>;
/** The files and packages a module refers to. */
export function moduleReferences(source: string): { specifier: string; kind: 'import' | 'asset' | 'sourcemap' }[];
/** Checks a package's files for modules, package.json targets and dependencies it lacks. */
export function verifyPackageFiles(files: Map<string, Buffer | string>): PackageCheck;
/** Built files under `dist/` that are not in the package. */
export function unpackedBuildFiles(packageDir: string, packedFiles: Iterable<string>, distFolder?: string): string[];
/** {@link verifyPackageFiles} on a tarball, plus built files left out of it when `packageDir` is given. */
export function verifyTarball(
  tgzPath: string,
  options?: { packageDir?: string },
): PackageCheck & { notPacked: string[]; ok: boolean };
