import { render } from 'preact';
import { createAdminApi } from './api/admin-api.ts';
import { createHttp } from './api/http.ts';
import { createLiveClient } from './api/live.ts';
import { App } from './shell/app.tsx';
import './styles/base.css';
import './styles/layout.css';
import './styles/conversations.css';
import './styles/reach.css';
import './styles/settings.css';
import './styles/overview.css';
import './styles/ingest.css';

let unauthorized: () => void = () => undefined;
const http = createHttp({ base: '/api/admin', onUnauthorized: () => unauthorized() });
const api = createAdminApi(http);
const connectLive = () => createLiveClient('/admin');

const root = document.getElementById('app');
if (root) {
  render(<App api={api} connectLive={connectLive} onUnauthorized={(fn) => (unauthorized = fn)} />, root);
}
