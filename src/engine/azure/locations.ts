// Azure regions by their ARM names (`az account list-locations --query [].name`). A subset:
// the public-cloud regions people actually type.
export const LOCATIONS: readonly string[] = [
  'eastus',
  'eastus2',
  'westus',
  'westus2',
  'westus3',
  'centralus',
  'northcentralus',
  'southcentralus',
  'westcentralus',
  'canadacentral',
  'canadaeast',
  'brazilsouth',
  'northeurope',
  'westeurope',
  'uksouth',
  'ukwest',
  'francecentral',
  'germanywestcentral',
  'switzerlandnorth',
  'norwayeast',
  'swedencentral',
  'polandcentral',
  'italynorth',
  'spaincentral',
  'uaenorth',
  'southafricanorth',
  'qatarcentral',
  'israelcentral',
  'centralindia',
  'southindia',
  'westindia',
  'eastasia',
  'southeastasia',
  'japaneast',
  'japanwest',
  'koreacentral',
  'koreasouth',
  'australiaeast',
  'australiasoutheast',
  'australiacentral',
  'newzealandnorth',
  'mexicocentral',
];

const known = new Set(LOCATIONS);

/** ARM accepts display names and any casing ("East US" → eastus). */
export const normalizeLocation = (location: string): string => location.replace(/\s+/g, '').toLowerCase();

export const isKnownLocation = (location: string): boolean => known.has(normalizeLocation(location));
