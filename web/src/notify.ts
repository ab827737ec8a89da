// Toasts for the outcome of an action; errors carry the API's message and field problems.
import { notifications } from '@mantine/notifications';
import { describeError } from './api.ts';

export function notifySuccess(message: string): void {
  notifications.show({ color: 'teal', message, autoClose: 4000 });
}

export function notifyError(title: string, error: unknown): void {
  notifications.show({ color: 'red', title, message: describeError(error), autoClose: 8000 });
}
