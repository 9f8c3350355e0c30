// The one import of the C library in tlm: re-exported, so that every other file
// says `import TLMSystem` instead of repeating the platform's `#if canImport`
// block, and the platform is chosen here, once.
@_exported import Glibc

// tlm builds and is tested on Linux only: `Supervisor.followStop` and the
// spawn read glibc's fields, and no machine the project has can build Darwin.
// Better a clear stop here than half-written branches elsewhere.
#if !os(Linux)
    #error("tlm builds on Linux only for now (see README's Set up)")
#endif
