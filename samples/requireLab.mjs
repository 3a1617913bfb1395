// Imported first by the samples: an Azure SDK app left unconfigured on this machine would
// probe the real IMDS address (169.254.169.254) — which the lab never lets its samples do.
// The app code after this import is unmodified SDK code; only this guard knows about the lab.
const LAB_VARIABLES = ['AZURE_POD_IDENTITY_AUTHORITY_HOST', 'IDENTITY_ENDPOINT', 'MSI_ENDPOINT', 'MILAB_RUN'];

if (!LAB_VARIABLES.some(name => process.env[name])) {
  console.error(
    'This sample runs only as a lab resource (it would otherwise ask the real IMDS at 169.254.169.254): ' +
      'eval "$(npx milab env --as vm-web)" first, or run it with npx milab run --as vm-web -- node <sample>.',
  );
  process.exit(2);
}
