// Azure resources of the tenant admin bot (deployed by teamsapp.yml `arm/deploy`):
// - an App Service plan + Linux web app (Node 20) running `node dist/bot/index.js`, HTTPS only, always on;
// - the Azure Bot registration (SingleTenant, the Entra app created by aadApp/create) with the Microsoft Teams channel.
// The bot's configuration is the same environment variables as locally (README "Configuration"); only the values
// differ: the real authority, the bot's public URL, a persistent data folder.

@minLength(4)
@maxLength(24)
@description('Prefix of every resource name (adminbot<suffix>).')
param resourceBaseName string

@maxLength(42)
param botDisplayName string

@description('Client id of the bot\'s Entra app (aadApp/create → BOT_ID).')
param botAadAppClientId string

@secure()
param botAadAppClientSecret string

param botAadAppTenantId string

@secure()
@description('32 random bytes, base64: encrypts the token cache at rest.')
param tokenCacheKey string

@description('Conditional Access authentication context asked for at step-up (c1…c99).')
param stepUpAuthContext string = 'c1'

param webAppSku string = 'B1'

param location string = resourceGroup().location

resource serverfarm 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: resourceBaseName
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: resourceBaseName
  location: location
  kind: 'app,linux'
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'node --disable-warning=DEP0111 dist/bot/index.js'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      healthCheckPath: '/readyz'
    }
  }
}

// Separate from the site so the settings can use its host name (PUBLIC_BASE_URL, the sign-in redirect URI).
resource webAppSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  properties: {
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'true'
    HOST: '0.0.0.0'
    MICROSOFT_APP_ID: botAadAppClientId
    MICROSOFT_APP_PASSWORD: botAadAppClientSecret
    MICROSOFT_APP_TENANT_ID: botAadAppTenantId
    MICROSOFT_APP_TYPE: 'SingleTenant'
    IDENTITY_AUTHORITY: '${environment().authentication.loginEndpoint}${botAadAppTenantId}/'
    PUBLIC_BASE_URL: 'https://${webApp.properties.defaultHostName}'
    GRAPH_BASE_URL: 'https://graph.microsoft.com'
    TOKEN_CACHE_KEY: tokenCacheKey
    STEP_UP_AUTH_CONTEXT: stepUpAuthContext
    // App Service's front end appends the client address to X-Forwarded-For: the per-IP sign-in limits use it.
    TRUSTED_PROXY_HOPS: '1'
    // /home is the App Service's persistent storage: the SQLite database survives restarts and redeployments.
    DATA_DIR: '/home/data/admin-bot'
    LOG_LEVEL: 'info'
  }
}

resource botService 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: 'F0'
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: botAadAppClientId
    msaAppType: 'SingleTenant'
    msaAppTenantId: botAadAppTenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
