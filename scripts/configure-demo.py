#!/usr/bin/env python3
"""Configures the demo tenants of a local run and writes data/demo-tenants.json.

Called by run.sh once the platform and the sandboxes answer. It is idempotent: the sandboxes return the
existing realm, portal, org and app for a name they already know, and the platform's connections are
replaced with fresh tokens.

  demo     HubSpot portal "demo"   + its own QuickBooks realm
  demo-sf  Salesforce org "demo-sf" + its own QuickBooks realm

Each CRM gets the consulting firm's product catalogue, mapped in master data to the QuickBooks items of the same
name, and the products are listed under tenants.<t>.products. Lines without a catalogue product bill as the
QuickBooks item "Services" (master data's default item).
"""
import base64
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

# The firm's catalogue: (SKU, name, unit price, QuickBooks item it is billed as).
CATALOGUE = [
    ("CONSULT-HOUR", "Consulting hour", 150, "Consulting"),
    ("SENIOR-HOUR", "Senior consulting hour", 210, "Senior Consulting"),
    ("IMPL-HOUR", "Implementation hour", 175, "Implementation"),
    ("PM-HOUR", "Project management hour", 160, "Project Management"),
    ("TRAINING-DAY", "On-site training day", 1200, "Training"),
    ("SUPPORT-MONTH", "Support retainer, monthly", 2000, "Support Retainer"),
]


def call(method, url, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    request.add_header("Accept", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode()
            return json.loads(text) if text else {}
    except urllib.error.HTTPError as error:
        raise SystemExit(f"{method} {url} failed: {error.code} {error.read().decode()[:500]}")


def call_until(method, url, body, token, attempts=60):
    """Calls until the platform accepts (master data waits for QuickBooks' lists after a connection)."""
    data = json.dumps(body).encode()
    for attempt in range(attempts):
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        request.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as error:
            if error.code != 409 or attempt == attempts - 1:
                raise SystemExit(f"{method} {url} failed: {error.code} {error.read().decode()[:500]}")
        time.sleep(0.5)


def quickbooks_items(qbo, realm, tools_app, refresh_token):
    """QuickBooks item IDs by name, read with the tools app (so the platform's own tokens never rotate away)."""
    basic = base64.b64encode(f"{tools_app['clientId']}:{tools_app['clientSecret']}".encode()).decode()
    request = urllib.request.Request(f"{qbo}/oauth2/v1/tokens/bearer", method="POST",
                                     data=urllib.parse.urlencode({"grant_type": "refresh_token", "refresh_token": refresh_token}).encode())
    request.add_header("Authorization", "Basic " + basic)
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    request.add_header("Accept", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        tokens = json.loads(response.read().decode())
    query = urllib.parse.quote("select * from Item maxresults 1000")
    found = call("GET", f"{qbo}/v3/company/{realm}/query?query={query}&minorversion=75", token=tokens["access_token"])
    items = {item["Name"]: item["Id"] for item in found.get("QueryResponse", {}).get("Item", [])}
    return items, tokens["refresh_token"]


def map_products(gateway, token, tenant, products, items):
    call_until("PUT", f"{gateway}/api/master-data/{tenant}/item-mappings", [
        {"crmProductId": product["crmProductId"], "productName": product["name"], "itemRef": items[item]}
        for product, item in products
    ], token)
    # Lines that name no catalogue product (a deal with only an amount, a free-text line) bill as "Services".
    call_until("PUT", f"{gateway}/api/master-data/{tenant}/policy", {"defaultItemRef": items["Services"]}, token)


def main():
    gateway, token, qbo, hubspot, salesforce, output = sys.argv[1:7]
    tenants = {}

    platform_app = call("POST", f"{qbo}/_sandbox/apps",
                        {"name": "platform", "webhookUrl": f"{gateway}/webhooks/quickbooks", "webhookFormat": "legacy"})
    # An app kept from an earlier run keeps its old URL: point it at this run's gateway.
    call("PUT", f"{qbo}/_sandbox/apps/{platform_app['clientId']}", {"webhookUrl": f"{gateway}/webhooks/quickbooks", "webhookFormat": "legacy"})
    tools_app = call("POST", f"{qbo}/_sandbox/apps", {"name": "tools", "webhookUrl": None, "webhookFormat": "legacy"})

    def quickbooks_for(tenant):
        realm = call("POST", f"{qbo}/_sandbox/realms", {"name": tenant})["realmId"]
        platform = call("POST", f"{qbo}/_sandbox/realms/{realm}/connections",
                        {"clientId": platform_app["clientId"], "redirectUri": "http://localhost/callback"})
        tools = call("POST", f"{qbo}/_sandbox/realms/{realm}/connections",
                     {"clientId": tools_app["clientId"], "redirectUri": "http://localhost/callback"})
        call("PUT", f"{gateway}/api/accounting/{tenant}/connection", {
            "environment": "sandbox",
            "baseUrl": qbo,
            "tokenUrl": f"{qbo}/oauth2/v1/tokens/bearer",
            "realmId": realm,
            "clientId": platform_app["clientId"],
            "clientSecret": platform_app["clientSecret"],
            "refreshToken": platform["refreshToken"],
            "verifierToken": platform_app["verifierToken"],
        }, token)
        return {
            "baseUrl": qbo,
            "tokenUrl": f"{qbo}/oauth2/v1/tokens/bearer",
            "realmId": realm,
            "verifierToken": platform_app["verifierToken"],
            "tools": {"clientId": tools_app["clientId"], "clientSecret": tools_app["clientSecret"], "refreshToken": tools["refreshToken"]},
        }

    portal = call("POST", f"{hubspot}/_sandbox/portals", {"name": "demo"})
    portal_id = portal["portalId"]
    app_settings = {
        "name": "platform",
        "targetUrl": f"{gateway}/webhooks/hubspot/demo",
        "subscriptions": ["deal.creation", "deal.propertyChange:dealstage", "deal.propertyChange:amount",
                          "company.propertyChange:name", "company.propertyChange:domain"],
    }
    app = call("POST", f"{hubspot}/_sandbox/portals/{portal_id}/apps", app_settings)
    call("PUT", f"{hubspot}/_sandbox/portals/{portal_id}/apps/{app['appId']}", app_settings)
    hubspot_tools = call("POST", f"{hubspot}/_sandbox/portals/{portal_id}/tokens", {"name": "tools"})
    call("PUT", f"{gateway}/api/crm/demo/connection", {
        "kind": "hubspot",
        "baseUrl": hubspot,
        "accessToken": app["accessToken"],
        "clientSecret": app["clientSecret"],
        "appId": str(app["appId"]),
        "portalId": str(portal_id),
    }, token)
    demo_products = []
    existing = call("GET", f"{hubspot}/crm/v3/objects/products?limit=100&properties=hs_sku,name,price", token=hubspot_tools["accessToken"])
    by_sku = {p["properties"].get("hs_sku"): p for p in existing.get("results", [])}
    for sku, name, price, item in CATALOGUE:
        product = by_sku.get(sku) or call("POST", f"{hubspot}/crm/v3/objects/products",
                                          {"properties": {"name": name, "hs_sku": sku, "price": str(price)}}, hubspot_tools["accessToken"])
        demo_products.append(({"sku": sku, "name": name, "unitPrice": price, "crmProductId": str(product["id"])}, item))
    demo_quickbooks = quickbooks_for("demo")
    items, demo_quickbooks["tools"]["refreshToken"] = quickbooks_items(qbo, demo_quickbooks["realmId"], tools_app, demo_quickbooks["tools"]["refreshToken"])
    map_products(gateway, token, "demo", demo_products, items)
    tenants["demo"] = {
        "crm": "hubspot",
        "hubspot": {"baseUrl": hubspot, "portalId": str(portal_id), "appId": str(app["appId"]),
                    "clientSecret": app["clientSecret"], "toolsToken": hubspot_tools["accessToken"]},
        "quickbooks": demo_quickbooks,
        "products": [product for product, _ in demo_products],
    }

    org = call("POST", f"{salesforce}/_sandbox/orgs", {"name": "demo-sf"})
    salesforce_tools = call("POST", f"{salesforce}/_sandbox/orgs/{org['orgId']}/tokens", {"name": "tools", "integrationUser": False})
    salesforce_platform = call("POST", f"{salesforce}/_sandbox/orgs/{org['orgId']}/tokens", {"name": "platform", "integrationUser": True})
    # The answer shows the Outbound Message URL with its endpoint token once; the org's endpoint must use it.
    sf_connection = call("PUT", f"{gateway}/api/crm/demo-sf/connection", {
        "kind": "salesforce",
        "baseUrl": org.get("instanceUrl", salesforce),
        "accessToken": salesforce_platform["accessToken"],
        "organizationId": org["orgId"],
        "integrationUserId": salesforce_platform["userId"],
    }, token)
    call("POST", f"{salesforce}/_sandbox/orgs/{org['orgId']}/outbound-messages", {
        "name": "OpportunityWon",
        "endpointUrl": gateway + (sf_connection.get("outboundMessageUrl")
                                  or call("POST", f"{gateway}/api/crm/demo-sf/connection/outbound-message-token", {}, token)["outboundMessageUrl"]),
        "fields": ["Id", "Name", "StageName", "Amount", "AccountId", "CloseDate", "IsWon"],
    })
    instance = org.get("instanceUrl", salesforce)
    sf_token = salesforce_tools["accessToken"]
    soql = urllib.parse.quote("SELECT Id, ProductCode FROM Product2")
    existing = {r["ProductCode"]: r["Id"] for r in call("GET", f"{instance}/services/data/v60.0/query?q={soql}", token=sf_token).get("records", [])}
    book = call("GET", f"{instance}/services/data/v60.0/query?q=" + urllib.parse.quote("SELECT Id FROM Pricebook2 WHERE IsStandard = true"),
                token=sf_token)["records"][0]["Id"]
    sf_products = []
    for sku, name, price, item in CATALOGUE:
        product_id = existing.get(sku)
        if product_id is None:
            product_id = call("POST", f"{instance}/services/data/v60.0/sobjects/Product2",
                              {"Name": name, "ProductCode": sku, "IsActive": True}, sf_token)["id"]
            call("POST", f"{instance}/services/data/v60.0/sobjects/PricebookEntry",
                 {"Pricebook2Id": book, "Product2Id": product_id, "UnitPrice": price, "IsActive": True}, sf_token)
        sf_products.append(({"sku": sku, "name": name, "unitPrice": price, "crmProductId": product_id}, item))
    sf_quickbooks = quickbooks_for("demo-sf")
    items, sf_quickbooks["tools"]["refreshToken"] = quickbooks_items(qbo, sf_quickbooks["realmId"], tools_app, sf_quickbooks["tools"]["refreshToken"])
    map_products(gateway, token, "demo-sf", sf_products, items)
    tenants["demo-sf"] = {
        "crm": "salesforce",
        "salesforce": {"instanceUrl": instance, "orgId": org["orgId"], "toolsToken": sf_token},
        "quickbooks": sf_quickbooks,
        "products": [product for product, _ in sf_products],
    }

    with open(output, "w") as handle:
        json.dump({"gateway": gateway, "operatorToken": token, "tenants": tenants}, handle, indent=2)
        handle.write("\n")


if __name__ == "__main__":
    main()
