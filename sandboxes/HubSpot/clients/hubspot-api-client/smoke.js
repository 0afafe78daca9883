// Smoke test of the HubSpot sandbox with the official Node client; only basePath differs from production use.
// Env: HUBSPOT_BASE_URL (e.g. http://127.0.0.1:8092), HUBSPOT_ACCESS_TOKEN (a private-app token from the control API).
'use strict';
const hubspot = require('@hubspot/api-client');

const basePath = process.env.HUBSPOT_BASE_URL;
const accessToken = process.env.HUBSPOT_ACCESS_TOKEN;
if (!basePath || !accessToken) {
  console.error('Set HUBSPOT_BASE_URL and HUBSPOT_ACCESS_TOKEN.');
  process.exit(2);
}

const client = new hubspot.Client({ accessToken, basePath, numberOfApiCallRetries: 3 });

function check(condition, message) {
  if (!condition) throw new Error('Check failed: ' + message);
  console.log('ok - ' + message);
}

async function main() {
  const suffix = Date.now().toString(36);

  const company = await client.crm.companies.basicApi.create({
    properties: { name: `Smoke Co ${suffix}`, domain: `smoke-${suffix}.example` },
    associations: [],
  });
  check(/^\d+$/.test(company.id), `company created with numeric id ${company.id}`);
  check(company.createdAt instanceof Date && !isNaN(company.createdAt), 'createdAt parses as a date');

  const pipelines = await client.crm.pipelines.pipelinesApi.getAll('deals');
  const custom = pipelines.results.find((p) => p.id !== 'default');
  check(pipelines.results.some((p) => p.id === 'default'), 'default deal pipeline listed');
  check(custom && custom.stages.every((s) => /^\d+$/.test(s.id)), 'custom pipeline has numeric stage ids');
  const wonStage = custom.stages.find((s) => s.metadata.isClosed === 'true' && Number(s.metadata.probability) === 1);
  check(wonStage, `won stage found through metadata (${wonStage && wonStage.id})`);

  const deal = await client.crm.deals.basicApi.create({
    properties: { dealname: `Smoke deal ${suffix}`, amount: '1500.00', pipeline: custom.id, dealstage: custom.stages[0].id },
    associations: [{
      to: { id: company.id },
      types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 5 }],
    }],
  });
  check(deal.properties.dealname === `Smoke deal ${suffix}`, 'deal created');

  const products = await client.crm.products.basicApi.getPage(10, undefined, ['name', 'price', 'hs_sku']);
  check(products.results.length > 0, 'seeded products listed');
  const lineItem = await client.crm.lineItems.basicApi.create({
    properties: { hs_product_id: products.results[0].id, quantity: '2' },
    associations: [],
  });
  check(lineItem.properties.price === products.results[0].properties.price, 'line item inherits the product price');
  await client.crm.associations.v4.basicApi.create('line_items', lineItem.id, 'deals', deal.id,
    [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 20 }]);

  const read = await client.crm.deals.basicApi.getById(deal.id, ['dealname', 'amount', 'dealstage'], undefined, ['companies', 'line_items']);
  const companyIds = read.associations.companies.results.map((r) => r.id);
  check(companyIds.includes(company.id), 'deal reads back with its company');
  check(read.associations.companies.results.some((r) => r.type === 'deal_to_company'), 'primary company association type');
  check(read.associations['line items'].results.some((r) => r.id === lineItem.id), 'deal reads back with its line item');

  const v4 = await client.crm.associations.v4.basicApi.getPage('deals', deal.id, 'companies');
  check(v4.results.some((r) => String(r.toObjectId) === company.id && r.associationTypes.some((t) => t.typeId === 5)), 'v4 association listing');

  const found = await client.crm.deals.searchApi.doSearch({
    filterGroups: [{ filters: [{ propertyName: 'dealname', operator: 'EQ', value: `Smoke deal ${suffix}` }] }],
    properties: ['dealname', 'dealstage'],
    limit: 10,
  });
  check(found.total === 1 && found.results[0].id === deal.id, 'search finds the deal');

  const updated = await client.crm.deals.basicApi.update(deal.id, { properties: { dealstage: wonStage.id } });
  check(updated.properties.dealstage === wonStage.id, 'deal moved to the won stage');
  check(updated.properties.hs_is_closed_won === 'true', 'hs_is_closed_won is calculated');

  const batch = await client.crm.deals.batchApi.read({ inputs: [{ id: deal.id }], properties: ['dealstage'], propertiesWithHistory: [] });
  check(batch.results.length === 1 && batch.results[0].properties.dealstage === wonStage.id, 'batch read');

  const propertyName = `q2c_smoke_${suffix}`.replace(/[^a-z0-9_]/g, '_');
  await client.crm.properties.coreApi.create('deals', {
    name: propertyName, label: 'Smoke property', type: 'string', fieldType: 'text', groupName: 'dealinformation',
  });
  const withCustom = await client.crm.deals.basicApi.update(deal.id, { properties: { [propertyName]: 'written back' } });
  check(withCustom.properties[propertyName] === 'written back', 'custom property written');

  try {
    await client.crm.deals.basicApi.getById('999999999999');
    throw new Error('expected a 404');
  } catch (e) {
    check(e.code === 404 && e.body && e.body.category === 'OBJECT_NOT_FOUND', 'missing deal gives 404 OBJECT_NOT_FOUND');
  }

  await client.crm.deals.basicApi.archive(deal.id);
  console.log('smoke passed');
}

main().catch((error) => {
  console.error('smoke failed:', error && error.message ? error.message : error);
  if (error && error.body) console.error(JSON.stringify(error.body));
  process.exit(1);
});
