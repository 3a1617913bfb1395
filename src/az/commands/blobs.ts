// `az storage container create` and `az storage blob upload|download|list --auth-mode login`:
// Blob Storage's data plane through the engine's Blob service, authorized as the learner with
// Azure RBAC's data actions. Account keys and SAS are not simulated.
import { learnerCaller, ServiceError } from '../../engine/services/dataCaller';
import { createContainer, findStorageAccountByName, getBlob, listBlobs, putBlob, type BlobInfo } from '../../engine/services/blobStorage';
import type { ReadonlyResource } from '../../engine/state/labState';
import { newGuid } from '../../engine/base/ids';
import type { Args, CommandContext, CommandSpec, GroupSpec, OptionSpec } from '../cli/spec';
import { AzCliError } from '../cli/errors';
import { RawOutput } from '../output/raw';
import { isoTime } from './common';
import { attempt, serviceFailure } from './serviceErrors';
import { BLOB_LOGIN_ONLY } from './messages';

export const BLOB_GROUPS: GroupSpec[] = [
  { name: 'storage container', summary: 'Manage blob storage containers.' },
  { name: 'storage blob', summary: 'Manage object storage for unstructured data (blobs).' },
];

const AUTH_MODE: OptionSpec = {
  dest: 'auth_mode',
  names: ['--auth-mode'],
  choices: ['key', 'login'],
  help: 'The mode in which to run the command. "login" mode will directly use your login credentials for the authentication. The legacy "key" mode will attempt to query for an account key if no authentication parameters for the account are provided.',
};
const ACCOUNT_NAME: OptionSpec = {
  dest: 'account_name',
  names: ['--account-name'],
  help: 'Storage account name. Related environment variable: AZURE_STORAGE_ACCOUNT.',
};
const CONTAINER: OptionSpec = { dest: 'container_name', names: ['--container-name', '-c'], required: true, help: 'The container name.' };

function storageAccountFor(ctx: CommandContext, args: Args): ReadonlyResource {
  if (args.str('auth_mode') !== 'login') {
    throw new AzCliError(BLOB_LOGIN_ONLY);
  }
  const name = args.str('account_name');
  if (!name) throw new AzCliError('Missing the storage account name: use --account-name NAME.');
  const account = findStorageAccountByName(ctx.lab, name);
  if (!account) {
    throw new AzCliError(`Failed to resolve '${name}.blob.core.windows.net' ([Errno -2] Name or service not known)`, [
      `Lab: there is no storage account named '${name}' in the lab ('az storage account list' shows them).`,
    ]);
  }
  return account;
}

function blobOutput(container: string, blob: BlobInfo): Record<string, unknown> {
  return {
    container,
    content: '',
    deleted: null,
    metadata: {},
    name: blob.name,
    properties: {
      blobTier: 'Hot',
      blobType: 'BlockBlob',
      contentLength: blob.contentLength,
      contentSettings: {
        cacheControl: null,
        contentDisposition: null,
        contentEncoding: null,
        contentLanguage: null,
        contentMd5: null,
        contentType: blob.contentType,
      },
      creationTime: isoTime(blob.lastModified),
      etag: blob.etag,
      lastModified: isoTime(blob.lastModified),
      serverEncrypted: true,
    },
    snapshot: null,
    tagCount: null,
    tags: null,
    versionId: null,
  };
}

function writeResult(blob: BlobInfo): Record<string, unknown> {
  return {
    client_request_id: newGuid(),
    content_md5: null,
    date: isoTime(blob.lastModified),
    encryption_key_sha256: null,
    encryption_scope: null,
    etag: blob.etag,
    lastModified: isoTime(blob.lastModified),
    request_id: newGuid(),
    request_server_encrypted: true,
    version: '2022-11-02',
    version_id: null,
  };
}

async function readInput(ctx: CommandContext, args: Args): Promise<Uint8Array<ArrayBuffer>> {
  const data = args.str('data');
  const file = args.str('file');
  if ((data === undefined) === (file === undefined)) throw new AzCliError('usage error: --file FILE | --data DATA');
  if (data !== undefined) return new TextEncoder().encode(data);
  if (!ctx.files) {
    throw new AzCliError(`The lab cannot read '${file}' here: this lab has no access to your files. Use --data "text" to upload text.`);
  }
  return ctx.files.read(file!);
}

export const BLOB_COMMANDS: CommandSpec[] = [
  {
    name: 'storage container create',
    summary: 'Create a container in a storage account.',
    longSummary:
      'By default, container data is private ("off") to the account owner. Use "blob" to allow public read access for blobs. Use "container" to allow public read and list access to the entire container.',
    mutates: true,
    options: [
      { dest: 'container_name', names: ['--name', '-n'], required: true, help: 'The container name.' },
      ACCOUNT_NAME,
      AUTH_MODE,
      { dest: 'fail_on_exist', names: ['--fail-on-exist'], kind: 'flag', help: 'Throw an exception if the container already exists.' },
    ],
    run: (ctx, args) => {
      const account = storageAccountFor(ctx, args);
      try {
        createContainer(ctx.lab, learnerCaller(ctx.lab), account.id, args.req('container_name'));
        return { created: true };
      } catch (error) {
        // az prints {"created": false} for an existing container unless --fail-on-exist.
        if (error instanceof ServiceError && error.code === 'ContainerAlreadyExists' && !args.flag('fail_on_exist')) {
          return { created: false };
        }
        return serviceFailure(error);
      }
    },
  },
  {
    name: 'storage blob upload',
    summary: 'Upload a file to a storage blob.',
    mutates: true,
    options: [
      CONTAINER,
      { dest: 'blob_name', names: ['--name', '-n'], help: 'The blob name.' },
      { dest: 'file', names: ['--file', '-f'], help: 'Path of the file to upload as the blob content.' },
      { dest: 'data', names: ['--data'], freeText: true, help: 'The blob data to upload.' },
      { dest: 'content_type', names: ['--content-type'], help: 'The content MIME type.' },
      {
        dest: 'overwrite',
        names: ['--overwrite'],
        choices: ['false', 'true'],
        help: 'Whether the blob to be uploaded should overwrite the current data. If True, blob upload operation will overwrite the existing data.',
      },
      ACCOUNT_NAME,
      AUTH_MODE,
    ],
    run: async (ctx, args) => {
      const account = storageAccountFor(ctx, args);
      const content = await readInput(ctx, args);
      const name = args.str('blob_name') ?? args.str('file')?.split(/[\\/]/).pop();
      if (!name) throw new AzCliError('the following arguments are required: --name/-n');
      const container = args.req('container_name');
      if (args.str('overwrite') !== 'true' && listBlobsQuietly(ctx, account, container).some(b => b.name === name)) {
        throw new AzCliError(
          `The specified blob already exists.\nRequestId:${newGuid()}\nTime:${new Date(ctx.lab.clock.now()).toISOString()}\nErrorCode:BlobAlreadyExists`,
          ['If you want to overwrite the existing one, please add --overwrite in your command.'],
        );
      }
      const blob = attempt(() =>
        putBlob(
          ctx.lab,
          learnerCaller(ctx.lab),
          account.id,
          container,
          name,
          content,
          args.str('content_type') ?? 'application/octet-stream',
        ),
      ).result;
      return writeResult(blob);
    },
  },
  {
    name: 'storage blob download',
    summary: 'Download a blob to a file path.',
    options: [
      CONTAINER,
      { dest: 'blob_name', names: ['--name', '-n'], required: true, help: 'The blob name.' },
      {
        dest: 'file',
        names: ['--file', '-f'],
        help: 'Path of file to write out to. If not specified, stdout will be used and max_connections will be set to 1.',
      },
      ACCOUNT_NAME,
      AUTH_MODE,
    ],
    run: async (ctx, args) => {
      const account = storageAccountFor(ctx, args);
      const blob = attempt(() =>
        getBlob(ctx.lab, learnerCaller(ctx.lab), account.id, args.req('container_name'), args.req('blob_name')),
      ).result;
      const file = args.str('file');
      if (file === undefined || file === '/dev/stdout') return new RawOutput(new TextDecoder().decode(blob.content));
      if (!ctx.files) {
        throw new AzCliError(
          `The lab cannot write '${file}' here: this lab has no access to your files. Leave out --file to print the blob.`,
        );
      }
      await ctx.files.write(file, blob.content);
      return { ...blobOutput(args.req('container_name'), blob), content: '' };
    },
  },
  {
    name: 'storage blob list',
    summary: 'List blobs in a given container.',
    options: [
      CONTAINER,
      { dest: 'prefix', names: ['--prefix'], help: 'Filter the results to return only blobs whose name begins with the specified prefix.' },
      { dest: 'num_results', names: ['--num-results'], help: 'Specify the maximum number to return.' },
      ACCOUNT_NAME,
      AUTH_MODE,
    ],
    // storage/_format.py transform_blob_output.
    tableTransformer: rows =>
      (rows as Array<Record<string, Record<string, unknown>>>).map(r => ({
        Name: r['name'],
        IsDirectory: '',
        'Blob Type': r['properties']!['blobType'],
        'Blob Tier': r['properties']!['blobTier'],
        Length: r['properties']!['contentLength'],
        'Content Type': (r['properties']!['contentSettings'] as Record<string, unknown>)['contentType'],
        'Last Modified': r['properties']!['lastModified'],
        Snapshot: r['snapshot'],
      })),
    run: (ctx, args) => {
      const account = storageAccountFor(ctx, args);
      const container = args.req('container_name');
      const blobs = attempt(() => listBlobs(ctx.lab, learnerCaller(ctx.lab), account.id, container, args.str('prefix') ?? '')).result;
      const max = args.str('num_results') ? Number(args.str('num_results')) : undefined;
      return blobs.slice(0, max).map(b => blobOutput(container, b));
    },
  },
];

function listBlobsQuietly(ctx: CommandContext, account: ReadonlyResource, container: string): BlobInfo[] {
  try {
    return listBlobs(ctx.lab, learnerCaller(ctx.lab), account.id, container).result;
  } catch {
    return [];
  }
}
