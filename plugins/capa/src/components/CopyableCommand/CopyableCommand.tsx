import { CopyTextButton } from '@backstage/core-components';
import { Box, makeStyles } from '@material-ui/core';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    backgroundColor: theme.palette.background.default,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(0.5, 0.5, 0.5, 1.5),
  },
  command: {
    flex: 1,
    fontFamily: 'monospace',
    fontSize: theme.typography.body2.fontSize,
    overflowWrap: 'anywhere',
    whiteSpace: 'pre-wrap',
  },
}));

/**
 * Props of {@link CopyableCommand}.
 *
 * @public
 */
export interface CopyableCommandProps {
  command: string;
  /** What the copy button says to screen readers, e.g. which command it copies. */
  copyLabel?: string;
}

/**
 * A shell command in monospace with a button that copies it to the clipboard.
 *
 * @public
 */
export function CopyableCommand(props: CopyableCommandProps) {
  const { command, copyLabel = 'Copy command' } = props;
  const classes = useStyles();
  return (
    <Box className={classes.root}>
      <code className={classes.command}>{command}</code>
      <CopyTextButton
        text={command}
        aria-label={copyLabel}
        tooltipText="Command copied to clipboard"
      />
    </Box>
  );
}
