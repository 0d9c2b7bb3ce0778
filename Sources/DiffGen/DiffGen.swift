// The umbrella module: one import for the whole pipeline.
@_exported import DiffGenCore
