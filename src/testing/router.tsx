import React from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { render, screen } from '@testing-library/react';

function Location() {
  const location = useLocation();
  return <output data-testid="location">{`${location.pathname}${location.search}`}</output>;
}

/** Renders `routes` (path to element) in a router opened at `url`; currentLocation() reads where it went since. */
export function renderAt(url: string, routes: Record<string, React.ReactElement>) {
  return render(
    <MemoryRouter initialEntries={[url]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Routes>
        {Object.entries(routes).map(([path, element]) => (
          <Route key={path} path={path} element={element} />
        ))}
      </Routes>
      <Location />
    </MemoryRouter>
  );
}

/** The router's path and query string now. */
export const currentLocation = () => screen.getByTestId('location').textContent ?? '';
