import React from 'react';

export interface TableColumn {
  label: string;
  className?: string;
}

/** The header row of the app's plain tables: one column header per entry. */
export function TableHead({ columns }: { columns: TableColumn[] }) {
  return (
    <thead>
      <tr>
        {columns.map(({ label, className }) => (
          <th key={label} scope="col" className={className}>
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
