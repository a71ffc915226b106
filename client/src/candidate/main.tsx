import { createRoot } from 'react-dom/client';
import { CandidateApp } from './CandidateApp';
import './candidate.css';

createRoot(document.getElementById('root') as HTMLElement).render(<CandidateApp />);
