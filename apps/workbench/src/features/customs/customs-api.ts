import { useQuery } from '@tanstack/react-query';
import { api, sawPosition, unwrap } from '../../lib/api/client';

/** What GET /customs-statistics/imports/{id} answers (docs/imports.md): its OpenAPI gives an example, not a schema. */
export interface ImportStatus {
  id: string;
  state: 'checking' | 'deciding' | 'storing' | 'done' | 'refused' | 'failed';
  rowsChecked: number;
  rowsStored: number;
  bytes: number;
  startedAt: string;
  finishedAt: string | null;
  answer: {
    batchId: string;
    rows: number;
    imported: number;
    revised: number;
    unchanged: number;
    streams: { streamId: string; year: number }[];
    position: number;
  } | null;
  problem: { code?: string; detail?: string; title?: string; errors?: BadRow[] } | null;
}

export interface BadRow {
  line: number;
  field: string;
  reason: string;
}

export const STATE_TEXT: Record<ImportStatus['state'], string> = {
  checking: '逐行校验中',
  deciding: '比对中',
  storing: '写入中',
  done: '导入完成',
  refused: '未导入',
  failed: '导入失败',
};

export const finished = (s: ImportStatus | undefined): boolean => s !== undefined && ['done', 'refused', 'failed'].includes(s.state);

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The media type the server reads the file as: a workbook by its name, anything else as CSV (its encoding detected). */
export function mediaTypeOf(file: { name: string }): 'text/csv' | typeof XLSX {
  return /\.xlsx$/i.test(file.name) ? XLSX : 'text/csv';
}

/** Starts an import (POST /customs-statistics/imports, 202): the file goes as it is, never parsed in the browser. */
export async function startImport(file: File): Promise<ImportStatus> {
  const type = mediaTypeOf(file);
  const result = await api.POST('/api/v1/customs-statistics/imports', {
    body: file as unknown as string,
    headers: { 'Content-Type': type },
    bodySerializer: (body: unknown) => body as BodyInit,
  });
  return unwrap(result) as unknown as ImportStatus;
}

/** The import's progress, read twice a second until it has ended. */
export function useImportStatus(id: string | null) {
  return useQuery({
    queryKey: ['customs-import', id],
    queryFn: async () => {
      const status = unwrap(await api.GET('/api/v1/customs-statistics/imports/{id}', { params: { path: { id: id! } } })) as unknown as ImportStatus;
      if (status.answer) sawPosition(status.answer);
      return status;
    },
    enabled: id !== null,
    refetchInterval: (query) => (finished(query.state.data) ? false : 500),
  });
}
