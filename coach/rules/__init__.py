"""The rule engine: typed rule records, the few rule types, the engine, the report and the settings."""
