// Drives the QuickBooks sandbox with the real node-quickbooks client; only its base URLs are changed.
//
// Environment:
//   QBO_BASE_URL       sandbox origin, e.g. http://127.0.0.1:8091
//   QBO_REALM_ID       realm (company) id
//   QBO_CLIENT_ID      app client id
//   QBO_CLIENT_SECRET  app client secret
//   QBO_ACCESS_TOKEN   access token for the realm
//   QBO_REFRESH_TOKEN  refresh token for the realm
//
// Exits 0 when every step behaved as QBO would, 1 otherwise.
'use strict';

const QuickBooks = require('node-quickbooks');

function env(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`missing environment variable ${name}`);
    process.exit(2);
  }
  return value;
}

const base = env('QBO_BASE_URL').replace(/\/+$/, '');

// The library's module-level endpoints: the Accounting API base and the OAuth token/revoke endpoints.
QuickBooks.V3_ENDPOINT_BASE_URL = `${base}/v3/company/`;
QuickBooks.TOKEN_URL = `${base}/oauth2/v1/tokens/bearer`;
QuickBooks.REVOKE_URL = `${base}/v2/oauth2/tokens/revoke`;

const qbo = new QuickBooks(
  env('QBO_CLIENT_ID'),
  env('QBO_CLIENT_SECRET'),
  env('QBO_ACCESS_TOKEN'),
  false, // no OAuth 1.0a token secret
  env('QBO_REALM_ID'),
  true, // useSandbox: take V3_ENDPOINT_BASE_URL as it is
  false, // debug
  75, // minorversion
  '2.0',
  env('QBO_REFRESH_TOKEN'),
);

// node-quickbooks methods take a callback (err, result); this turns one into a promise.
function call(method, ...args) {
  return new Promise((resolve, reject) => {
    qbo[method](...args, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
  console.log(`  ok: ${message}`);
}

function faultCode(err) {
  const fault = err && (err.Fault || (err.response && err.response.data && err.response.data.Fault));
  return fault && fault.Error && fault.Error[0] && fault.Error[0].code;
}

async function main() {
  const suffix = Date.now().toString(36);

  console.log('refreshAccessToken');
  const firstRefresh = qbo.refreshToken;
  const refreshed = await call('refreshAccessToken');
  check(refreshed.token_type === 'bearer' && refreshed.expires_in === 3600, 'token endpoint answered a bearer token for one hour');
  check(qbo.refreshToken !== firstRefresh, 'the refresh token rotated');

  console.log('createCustomer');
  const displayName = `O'Brien & Sons ${suffix}`;
  const customer = await call('createCustomer', {
    DisplayName: displayName,
    PrimaryEmailAddr: { Address: 'accounts@obrien.example' },
  });
  check(customer.Id && customer.SyncToken === '0', `customer ${customer.Id} created with SyncToken 0`);

  console.log('getCustomer');
  const read = await call('getCustomer', customer.Id);
  check(read.DisplayName === displayName, 'read back the same DisplayName');

  console.log('findCustomers (apostrophe escaped by the library)');
  const found = await call('findCustomers', [{ field: 'DisplayName', value: displayName, operator: '=' }]);
  const matches = (found.QueryResponse && found.QueryResponse.Customer) || [];
  check(matches.length === 1 && matches[0].Id === customer.Id, 'query by DisplayName found exactly that customer');

  console.log('updateCustomer (sparse)');
  const updated = await call('updateCustomer', { Id: customer.Id, SyncToken: read.SyncToken, sparse: true, CompanyName: 'OBrien Holdings' });
  check(updated.SyncToken === '1' && updated.CompanyName === 'OBrien Holdings', 'sparse update bumped SyncToken to 1');
  check(updated.DisplayName === displayName, 'sparse update kept the other fields');

  console.log('createCustomer with a duplicate name');
  try {
    await call('createCustomer', { DisplayName: displayName });
    throw new Error('duplicate DisplayName was accepted');
  } catch (err) {
    check(faultCode(err) === '6240', 'duplicate DisplayName refused with 6240');
  }

  console.log('findItems');
  const items = await call('findItems', [{ field: 'Type', value: 'Service', operator: '=' }]);
  const consulting = ((items.QueryResponse && items.QueryResponse.Item) || []).find((i) => i.Name === 'Consulting');
  check(consulting, 'the seeded Consulting service item exists');

  console.log('createInvoice');
  const invoice = await call('createInvoice', {
    CustomerRef: { value: customer.Id },
    Line: [{
      Amount: 450,
      DetailType: 'SalesItemLineDetail',
      SalesItemLineDetail: { ItemRef: { value: consulting.Id }, Qty: 3, UnitPrice: 150 },
    }],
  });
  check(Number(invoice.TotalAmt) === 450 && Number(invoice.Balance) === 450, 'invoice TotalAmt and Balance are 450');
  check(/^\d+$/.test(invoice.DocNumber), `invoice numbered ${invoice.DocNumber}`);

  console.log('createPayment linked to the invoice');
  const payment = await call('createPayment', {
    CustomerRef: { value: customer.Id },
    TotalAmt: 200,
    Line: [{ Amount: 200, LinkedTxn: [{ TxnId: invoice.Id, TxnType: 'Invoice' }] }],
  });
  check(payment.Id, `payment ${payment.Id} created`);
  const afterPayment = await call('getInvoice', invoice.Id);
  check(Number(afterPayment.Balance) === 250, 'the payment reduced the invoice balance to 250');

  console.log('updateInvoice with a stale SyncToken');
  try {
    await call('updateInvoice', { Id: invoice.Id, SyncToken: invoice.SyncToken, sparse: true, PrivateNote: 'late edit' });
    throw new Error('stale SyncToken was accepted');
  } catch (err) {
    check(faultCode(err) === '5010', 'stale SyncToken refused with 5010');
  }

  console.log('changeDataCapture');
  const since = new Date(Date.now() - 60 * 60 * 1000);
  const cdc = await call('changeDataCapture', ['Customer', 'Invoice'], since);
  const sections = cdc.CDCResponse[0].QueryResponse;
  const changedCustomers = sections.flatMap((s) => s.Customer || []);
  check(changedCustomers.some((c) => c.Id === customer.Id), 'CDC reports the new customer');

  console.log('smoke test passed');
}

main().catch((err) => {
  console.error('smoke test FAILED');
  console.error(err && err.stack ? err.stack : JSON.stringify(err, null, 2));
  process.exit(1);
});
