import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './app/theme.css';
import { App } from './app/App.tsx';
import { bootstrap } from './app/bootstrap.ts';

const root = document.getElementById('root');
if (root) {
  const boot = bootstrap(window.location);
  createRoot(root).render(<App boot={boot} />);
}
