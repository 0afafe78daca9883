// Smoke test of the Salesforce sandbox with jsforce; only the instance URL differs from production use.
// Env: SF_INSTANCE_URL (e.g. http://127.0.0.1:8093), SF_ACCESS_TOKEN; optionally SF_USERNAME, SF_PASSWORD,
// SF_CLIENT_ID, SF_CLIENT_SECRET to also log in through the OAuth 2.0 password flow.
'use strict';
const jsforce = require('jsforce');

const instanceUrl = process.env.SF_INSTANCE_URL;
const accessToken = process.env.SF_ACCESS_TOKEN;
if (!instanceUrl || !accessToken) {
  console.error('Set SF_INSTANCE_URL and SF_ACCESS_TOKEN.');
  process.exit(2);
}

function check(condition, message) {
  if (!condition) throw new Error('Check failed: ' + message);
  console.log('ok - ' + message);
}

async function main() {
  const conn = new jsforce.Connection({ instanceUrl, accessToken, version: '60.0' });
  const suffix = Date.now().toString(36);

  const account = await conn.sobject('Account').create({ Name: `Smoke Account ${suffix}`, Industry: 'Consulting' });
  check(account.success && /^001[A-Za-z0-9]{15}$/.test(account.id), `account created (${account.id})`);

  const opportunity = await conn.sobject('Opportunity').create({
    Name: `Smoke Opportunity ${suffix}`, AccountId: account.id, StageName: 'Prospecting', CloseDate: '2026-06-30', Amount: 1000,
  });
  check(opportunity.success, `opportunity created (${opportunity.id})`);

  const entries = await conn.query(
    "SELECT Id, UnitPrice, Product2.Name, Product2.ProductCode FROM PricebookEntry WHERE Pricebook2.IsStandard = true AND IsActive = true ORDER BY UnitPrice");
  check(entries.totalSize >= 1, `standard price book entries found (${entries.totalSize})`);
  const entry = entries.records[0];
  const item = await conn.sobject('OpportunityLineItem').create({ OpportunityId: opportunity.id, PricebookEntryId: entry.Id, Quantity: 3, UnitPrice: entry.UnitPrice });
  check(item.success, 'line item created');

  const stages = await conn.query('SELECT MasterLabel, IsWon, IsClosed FROM OpportunityStage WHERE IsActive = true ORDER BY SortOrder');
  const won = stages.records.find((s) => s.IsWon && s.IsClosed);
  check(won, `won stage known from metadata (${won && won.MasterLabel})`);

  const result = await conn.query(
    `SELECT Id, Name, Amount, StageName, IsWon, Account.Name, (SELECT Quantity, UnitPrice, TotalPrice, Product2.ProductCode FROM OpportunityLineItems) FROM Opportunity WHERE Id = '${opportunity.id}'`);
  check(result.totalSize === 1, 'opportunity found by SOQL');
  const record = result.records[0];
  check(record.Account && record.Account.Name === `Smoke Account ${suffix}`, 'relationship field Account.Name');
  check(record.OpportunityLineItems && record.OpportunityLineItems.records.length === 1, 'child subquery OpportunityLineItems');
  check(record.Amount === entry.UnitPrice * 3, `Amount rolls up from line items (${record.Amount})`);

  const updated = await conn.sobject('Opportunity').update({ Id: opportunity.id, StageName: won.MasterLabel });
  check(updated.success, 'opportunity updated to the won stage');
  const retrieved = await conn.sobject('Opportunity').retrieve(opportunity.id);
  check(retrieved.IsWon === true && retrieved.IsClosed === true, 'IsWon/IsClosed follow the stage');

  const many = await conn.sobject('Contact').create([
    { LastName: 'Lovelace', FirstName: 'Ada', AccountId: account.id },
    { LastName: 'Hopper', FirstName: 'Grace', AccountId: account.id },
  ]);
  check(many.every((r) => r.success), 'composite create of two contacts');

  const describe = await conn.sobject('Opportunity').describe();
  check(describe.fields.some((f) => f.name === 'StageName'), 'describe lists fields');

  const found = await conn.sobject('Contact').find({ AccountId: account.id }, ['Id', 'Name']).sort({ LastName: 1 });
  check(found.length === 2 && found[0].Name === 'Grace Hopper', 'find() through the SOQL builder');

  try {
    await conn.query('SELECT Id FRM Account');
    throw new Error('expected a MALFORMED_QUERY error');
  } catch (e) {
    check(e.errorCode === 'MALFORMED_QUERY', 'malformed SOQL gives MALFORMED_QUERY');
  }

  if (process.env.SF_USERNAME && process.env.SF_PASSWORD && process.env.SF_CLIENT_ID) {
    const oauth = new jsforce.Connection({
      oauth2: { loginUrl: instanceUrl, clientId: process.env.SF_CLIENT_ID, clientSecret: process.env.SF_CLIENT_SECRET },
      version: '60.0',
    });
    const info = await oauth.login(process.env.SF_USERNAME, process.env.SF_PASSWORD);
    check(info.organizationId && info.id, 'OAuth 2.0 password login');
    const count = await oauth.query(`SELECT COUNT() FROM Contact WHERE AccountId = '${account.id}'`);
    check(count.totalSize === 2, 'query with the OAuth token (COUNT())');
  }

  await conn.sobject('Account').destroy(account.id);
  console.log('smoke passed');
}

main().catch((error) => {
  console.error('smoke failed:', error && error.message ? error.message : error);
  if (error && error.errorCode) console.error('errorCode:', error.errorCode);
  process.exit(1);
});
