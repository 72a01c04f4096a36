import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { httpApi } from './api/client';
import { RestContext } from './api/context';
import { restClient, type Rest } from './api/rest';
import { App } from './App';
import { bootstrap } from './auth/bootstrap';
import { createAppStore, StoreContext } from './store';
import { localDrafts } from './store/drafts';
import './styles.css';

function start(rest: Rest) {
  const store = createAppStore({ api: httpApi(rest), rest, drafts: localDrafts(), autosaveMs: 1200, draftMs: 250 });
  // Never lose the last keystrokes: write the draft when the page goes away.
  window.addEventListener('pagehide', () => store.getState().flushDraft());
  window.addEventListener('beforeunload', () => store.getState().flushDraft());

  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <RestContext.Provider value={rest}>
        <StoreContext.Provider value={store}>
          <App />
        </StoreContext.Provider>
      </RestContext.Provider>
    </StrictMode>,
  );
}

// The app's one API client. Sign in first, through it (jwt mode: the
// Cognito hosted UI; local mode: nothing to do); bootstrap sets its base URL
// and token source.
const rest = restClient();
void bootstrap({ rest }).then((auth) => auth !== 'redirecting' && start(rest));
