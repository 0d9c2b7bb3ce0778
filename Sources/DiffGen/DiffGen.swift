// The umbrella module: one import for the whole pipeline.
@_exported import DiffGenAD
@_exported import DiffGenCodegen
@_exported import DiffGenCore
@_exported import DiffGenJIT
@_exported import DiffGenModel
@_exported import DiffGenRobotics
@_exported import DiffGenSparsity
@_exported import DiffGenRepeat
