import type {
  ClusterSortKey,
  ClusterSummary,
} from '@capa-backstage/plugin-capa-common';
import {
  Box,
  LinearProgress,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TablePagination,
  TableRow,
  TableSortLabel,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { memo, useId, type ReactNode } from 'react';

/**
 * A column of the fleet table. Every value is rendered by `render`: the backend sorts, filters
 * and pages, so the table never reads the rows' fields itself.
 */
export interface FleetColumn {
  title: string;
  /** The backend's sort key; none: not sortable. */
  sortKey?: ClusterSortKey;
  /** Bold cells, as Backstage tables show their name column. */
  highlight?: boolean;
  render: (cluster: ClusterSummary) => ReactNode;
}

export interface FleetSort {
  key: ClusterSortKey;
  order: 'asc' | 'desc';
}

/** A header click: ascending, then descending, then the server's default order again. */
export function nextSort(
  current: FleetSort | undefined,
  key: ClusterSortKey,
): FleetSort | undefined {
  if (current?.key !== key) return { key, order: 'asc' };
  return current.order === 'asc' ? { key, order: 'desc' } : undefined;
}

const useStyles = makeStyles(
  theme => ({
    // Room for the progress bar, so that it does not move the table when it shows.
    progress: { height: 4 },
    scroll: { overflowX: 'auto' },
    // As Backstage's own tables draw their headers.
    header: {
      padding: theme.spacing(1, 2, 1, 2.5),
      borderTop: `1px solid ${theme.palette.grey.A100}`,
      borderBottom: `1px solid ${theme.palette.grey.A100}`,
      fontWeight: theme.typography.fontWeightBold as number,
      textTransform: 'uppercase',
      wordBreak: 'normal',
    },
    cell: { padding: theme.spacing(1, 2, 1, 2.5) },
    highlight: { fontWeight: theme.typography.fontWeightBold as number },
  }),
  { name: 'CapaFleetTable' },
);

const rowKey = (c: ClusterSummary) =>
  `${c.managementCluster}/${c.namespace}/${c.name}`;

/** One cluster's row; re-rendered only when the cluster or the columns change. */
const FleetRow = memo(
  (props: {
    cluster: ClusterSummary;
    columns: FleetColumn[];
    classes: ReturnType<typeof useStyles>;
  }) => {
    const { cluster, columns, classes } = props;
    return (
      <TableRow hover>
        {columns.map(col => (
          <TableCell
            key={col.title}
            className={
              col.highlight
                ? `${classes.cell} ${classes.highlight}`
                : classes.cell
            }
          >
            {col.render(cluster)}
          </TableCell>
        ))}
      </TableRow>
    );
  },
);

/**
 * One page of clusters as the backend sorted, filtered and paged them. A plain Material UI table:
 * Backstage's Table (material-table) spent 100-250 ms of main thread on each change of sort,
 * filter or data, and a second bundle chunk of ~450 kB at page load, for features (client-side
 * sort, search, column dragging) this server-driven list does not use. While the next page loads
 * the current rows stay, under a progress bar.
 */
export const FleetTable = memo(
  (props: {
    title: string;
    columns: FleetColumn[];
    rows: ClusterSummary[];
    loading: boolean;
    sort?: FleetSort;
    onSortChange: (sort?: FleetSort) => void;
    /** Shown without rows. */
    emptyText: string;
    /** Shows the pager (flat props, so that the memo sees equal values as equal). */
    paging: boolean;
    page: number;
    totalCount: number;
    pageSize: number;
    pageSizes: number[];
    onPageChange: (page: number) => void;
    onPageSizeChange: (size: number) => void;
  }) => {
    const { title, columns, rows, loading, sort, onSortChange } = props;
    const classes = useStyles();
    const titleId = useId();
    return (
      <Paper>
        <Box px={2.5} py={2}>
          <Typography variant="h5" component="h2" id={titleId}>
            {title}
          </Typography>
        </Box>
        <Box className={classes.progress}>
          {loading ? <LinearProgress aria-label="Loading clusters" /> : null}
        </Box>
        <Box className={classes.scroll}>
          <Table size="small" aria-busy={loading} aria-labelledby={titleId}>
            <TableHead>
              <TableRow>
                {columns.map(col => {
                  const active = !!col.sortKey && sort?.key === col.sortKey;
                  return (
                    <TableCell
                      key={col.title}
                      className={classes.header}
                      sortDirection={active ? sort!.order : false}
                    >
                      {col.sortKey ? (
                        <TableSortLabel
                          active={active}
                          direction={active ? sort!.order : 'asc'}
                          onClick={() =>
                            onSortChange(nextSort(sort, col.sortKey!))
                          }
                        >
                          {col.title}
                        </TableSortLabel>
                      ) : (
                        col.title
                      )}
                    </TableCell>
                  );
                })}
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.length ? (
                rows.map(c => (
                  <FleetRow
                    key={rowKey(c)}
                    cluster={c}
                    columns={columns}
                    classes={classes}
                  />
                ))
              ) : (
                <TableRow>
                  <TableCell colSpan={columns.length}>
                    {loading ? null : (
                      <Typography variant="body2" style={{ padding: 16 }}>
                        {props.emptyText}
                      </Typography>
                    )}
                  </TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
        </Box>
        {props.paging ? (
          <TablePagination
            component="div"
            count={props.totalCount}
            page={props.page}
            rowsPerPage={props.pageSize}
            rowsPerPageOptions={props.pageSizes}
            onPageChange={(_, page) => props.onPageChange(page)}
            onRowsPerPageChange={e =>
              props.onPageSizeChange(Number(e.target.value))
            }
            backIconButtonText="Previous Page"
            nextIconButtonText="Next Page"
          />
        ) : null}
      </Paper>
    );
  },
);
