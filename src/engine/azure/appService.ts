// App Service facts the lab builds sites and plans from: a plan's SKU as ARM reports it, and
// the Dynamic plan Azure creates for a Consumption function app. azure-cli's appservice module
// names that plan after the region with its spaces removed (`--consumption-plan-location
// "West Europe"` → `WestEuropePlan`); the lab does not model it as a resource of its own.
import { resourceId } from './resourceId';

const SKU_TIERS: Record<string, string> = {
  F: 'Free',
  D: 'Shared',
  B: 'Basic',
  S: 'Standard',
  P: 'PremiumV2',
  I: 'Isolated',
  Y: 'Dynamic',
  E: 'ElasticPremium',
};

/** `properties` of a Microsoft.Web/serverfarms resource with this SKU (`B1`, `P1V3`, …). */
export function appServicePlanProperties(sku: string, options: { linux: boolean; workers: number }): Record<string, unknown> {
  const name = sku.toUpperCase();
  return {
    reserved: options.linux,
    status: 'Ready',
    numberOfWorkers: options.workers,
    sku: { name, tier: SKU_TIERS[name[0]!] ?? 'Basic', size: name, family: name.replace(/\d.*$/, ''), capacity: 1 },
  };
}

/** The serverFarmId of a Consumption function app in `location`. */
export const consumptionPlanId = (subscriptionId: string, resourceGroup: string, location: string): string =>
  resourceId(subscriptionId, resourceGroup, 'Microsoft.Web/serverfarms', `${location.replace(/\s+/g, '')}Plan`);
