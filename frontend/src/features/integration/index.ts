// integration: ジョブカン連携 (choosing a direction) and 連携設定 (the connection)
export { IntegrationPage } from './IntegrationPage';
export { SettingsPage } from './SettingsPage';
