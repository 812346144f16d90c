// Tabulator with only the modules the dashboard uses.
import {
  Tabulator,
  FormatModule,
  SortModule,
  FilterModule,
  FrozenColumnsModule,
  ResizeColumnsModule,
  InteractionModule,
  TooltipModule,
  ColumnCalcsModule,
} from "tabulator-tables";
import "tabulator-tables/dist/css/tabulator_simple.min.css";

Tabulator.registerModule([
  FormatModule,
  SortModule,
  FilterModule,
  FrozenColumnsModule,
  ResizeColumnsModule,
  InteractionModule,
  TooltipModule,
  ColumnCalcsModule,
]);

export { Tabulator };
