import { createRoot } from 'react-dom/client';
import { StaffApp } from './StaffApp';
import './staff.css';

createRoot(document.getElementById('root') as HTMLElement).render(<StaffApp />);
