// The candidate's token survives a reload (resume after any disconnect); cleared on logout.
const TOKEN_KEY = 'exam-center.candidate-token';

export const loadToken = (): string | null => localStorage.getItem(TOKEN_KEY);
export const saveToken = (token: string) => localStorage.setItem(TOKEN_KEY, token);
export const clearToken = () => localStorage.removeItem(TOKEN_KEY);
