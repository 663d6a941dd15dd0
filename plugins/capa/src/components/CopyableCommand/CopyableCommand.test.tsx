import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CopyableCommand } from './CopyableCommand';

describe('CopyableCommand', () => {
  const command =
    "aws eks update-kubeconfig --name 'acme prod' --region eu-west-1";

  it('shows the command and copies exactly that text', async () => {
    // jsdom has no clipboard; record what copy-to-clipboard selects when it issues "copy".
    const copied: string[] = [];
    const execCommand = jest.fn((name: string) => {
      if (name === 'copy')
        copied.push(document.getSelection()?.toString() ?? '');
      return true;
    });
    Object.defineProperty(document, 'execCommand', {
      value: execCommand,
      configurable: true,
    });
    try {
      await renderInTestApp(
        <CopyableCommand command={command} copyLabel="Copy the command" />,
      );
      expect(screen.getByText(command)).toBeInTheDocument();
      await userEvent.click(
        screen.getByRole('button', { name: 'Copy the command' }),
      );
      expect(execCommand).toHaveBeenCalledWith('copy');
      expect(copied).toEqual([command]);
    } finally {
      delete (document as { execCommand?: unknown }).execCommand;
    }
  });
});
