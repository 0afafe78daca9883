#!/usr/bin/env python3
"""Configures the demo tenants of a local run and writes data/demo-tenants.json.

Called by run.sh once the platform and the sandboxes answer. It is idempotent: the sandboxes return the
existing realm, portal, org and app for a name they already know, and the platform's connections are
replaced with fresh tokens.

  demo     HubSpot portal "demo"   + its own QuickBooks realm
  demo-sf  Salesforce org "demo-sf" + its own QuickBooks realm
"""
import json
import sys
import urllib.error
import urllib.request


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
    tenants["demo"] = {
        "crm": "hubspot",
        "hubspot": {"baseUrl": hubspot, "portalId": str(portal_id), "appId": str(app["appId"]),
                    "clientSecret": app["clientSecret"], "toolsToken": hubspot_tools["accessToken"]},
        "quickbooks": quickbooks_for("demo"),
    }

    org = call("POST", f"{salesforce}/_sandbox/orgs", {"name": "demo-sf"})
    salesforce_tools = call("POST", f"{salesforce}/_sandbox/orgs/{org['orgId']}/tokens", {"name": "tools", "integrationUser": False})
    salesforce_platform = call("POST", f"{salesforce}/_sandbox/orgs/{org['orgId']}/tokens", {"name": "platform", "integrationUser": True})
    call("PUT", f"{gateway}/api/crm/demo-sf/connection", {
        "kind": "salesforce",
        "baseUrl": org.get("instanceUrl", salesforce),
        "accessToken": salesforce_platform["accessToken"],
        "organizationId": org["orgId"],
        "integrationUserId": salesforce_platform["userId"],
    }, token)
    call("POST", f"{salesforce}/_sandbox/orgs/{org['orgId']}/outbound-messages", {
        "name": "OpportunityWon",
        "endpointUrl": f"{gateway}/webhooks/salesforce/demo-sf",
        "fields": ["Id", "Name", "StageName", "Amount", "AccountId", "CloseDate", "IsWon"],
    })
    tenants["demo-sf"] = {
        "crm": "salesforce",
        "salesforce": {"instanceUrl": org.get("instanceUrl", salesforce), "orgId": org["orgId"], "toolsToken": salesforce_tools["accessToken"]},
        "quickbooks": quickbooks_for("demo-sf"),
    }

    with open(output, "w") as handle:
        json.dump({"gateway": gateway, "operatorToken": token, "tenants": tenants}, handle, indent=2)
        handle.write("\n")


if __name__ == "__main__":
    main()
