/** Every surface by the name `--surface` takes. */
import type { Surface, SurfaceName } from '../fuzz.ts';
import { engineSurface } from './engine.ts';
import { mocksSurface } from './mocks.ts';
import { controlSurface, simulatorSurface } from './simulator.ts';

export const surfacesByName: Record<SurfaceName, Surface> = {
  simulator: simulatorSurface,
  control: controlSurface,
  mocks: mocksSurface,
  engine: engineSurface,
};
