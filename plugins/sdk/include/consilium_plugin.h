/*
 * consilium_plugin.h - the Consilium plugin SDK, C ABI.
 *
 * A native plugin is a shared library exporting one C symbol, consilium_plugin_entry, which
 * hands the host a versioned table of the plugin's functions. The host calls it in a worker
 * process, never in the workstation itself. See docs/plugin-guide.md and PLUGINS.md.
 *
 * THIS HEADER ONLY GROWS. Once released, ABI version 1 is frozen:
 *   - no field, enumerator or function is ever removed, renamed, reordered or retyped;
 *   - structs only gain fields at their end; a reader checks struct_size (and abi_version)
 *     before touching a field added after version 1;
 *   - new functions get new names; enums are forced to 32 bits (the *_FORCE32 members);
 *   - every export is extern "C" with default visibility (CONSILIUM_PLUGIN_EXPORT);
 *   - memory is freed by the side that allocated it; no pointer handed across is freed by
 *     the other side;
 *   - no C++ exception (nor longjmp) crosses the boundary;
 *   - tests/sdk pins sizeof and offsetof of every struct on x86_64: a change there is an ABI break.
 *
 * Conventions: strings are NUL-terminated UTF-8; coordinates are DICOM patient coordinates
 * (LPS: x to the patient's Left, y Posterior, z Superior) in millimetres.
 *
 * Plain C99: compiles with cc -std=c99 -Wall -Wextra -Werror -pedantic, and as C++.
 */
#ifndef CONSILIUM_PLUGIN_H
#define CONSILIUM_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

/* The ABI version this header describes. */
#define CONSILIUM_PLUGIN_ABI_VERSION 1

/* The name of the one symbol a native plugin exports (for dlsym). */
#define CONSILIUM_PLUGIN_ENTRY_SYMBOL "consilium_plugin_entry"

/* Marks a symbol exported from the plugin library (default visibility, even when the plugin
 * is compiled with -fvisibility=hidden, which is recommended). */
#if defined(_WIN32) || defined(__CYGWIN__)
#  define CONSILIUM_PLUGIN_EXPORT __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#  define CONSILIUM_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#  define CONSILIUM_PLUGIN_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Type of each voxel of a volume. */
typedef enum consilium_pixel_type {
    CONSILIUM_PIXEL_INT16 = 1,   /* int16_t; CT in Hounsfield units (rescale already applied) */
    CONSILIUM_PIXEL_FLOAT32 = 2, /* float (IEEE 754 binary32) */
    CONSILIUM_PIXEL_TYPE_FORCE32 = 0x7FFFFFFF
} consilium_pixel_type;

/* Severity of a log line sent to the host. */
typedef enum consilium_log_level {
    CONSILIUM_LOG_DEBUG = 0,
    CONSILIUM_LOG_INFO = 1,
    CONSILIUM_LOG_WARNING = 2,
    CONSILIUM_LOG_ERROR = 3,
    CONSILIUM_LOG_LEVEL_FORCE32 = 0x7FFFFFFF
} consilium_log_level;

/* Result of a plugin run or of a host callback. Anything but OK makes the run fail. */
typedef enum consilium_status {
    CONSILIUM_STATUS_OK = 0,
    CONSILIUM_STATUS_ERROR = 1,            /* generic failure; say why through log() */
    CONSILIUM_STATUS_CANCELLED = 2,        /* stopped because is_cancelled() returned non-zero */
    CONSILIUM_STATUS_INVALID_ARGUMENT = 3, /* e.g. emit_suggestions given invalid JSON */
    CONSILIUM_STATUS_UNSUPPORTED = 4,      /* e.g. a modality or pixel type the model cannot use */
    CONSILIUM_STATUS_FORCE32 = 0x7FFFFFFF
} consilium_status;

/* A read-only view of one image series (a 3-D volume), owned by the host (shared memory).
 * Valid until run() returns; the plugin never writes to it nor frees it. */
typedef struct consilium_volume {
    uint32_t abi_version;          /* CONSILIUM_PLUGIN_ABI_VERSION of the host that filled it */
    uint32_t struct_size;          /* sizeof(consilium_volume) as the host knows it */
    int32_t dims[3];               /* voxels along i, j, k (columns, rows, slices); each >= 1 */
    consilium_pixel_type pixel_type; /* type of each voxel in voxels */
    double spacing_mm[3];          /* voxel size along i, j, k, in mm (> 0) */
    double origin_lps[3];          /* LPS position (mm) of the centre of voxel (0,0,0) */
    double direction[9];           /* 3x3 row-major; its columns are the unit i, j, k axes in LPS:
                                      lps = origin + direction * (spacing .* (i,j,k)) */
    const void* voxels;            /* dims[0]*dims[1]*dims[2] voxels, i fastest then j then k:
                                      index = i + dims[0]*(j + dims[1]*k); read-only */
    const char* modality;          /* DICOM modality, e.g. "CT", "MR" */
    const char* series_uid;        /* DICOM SeriesInstanceUID */
} consilium_volume;

/* What the host gives a run: callbacks and inputs. Owned by the host; everything it points to
 * (strings, volume) is valid until run() returns. Callbacks may be called from any thread of
 * the plugin while run() executes, never after it returns. */
typedef struct consilium_host {
    uint32_t abi_version;          /* CONSILIUM_PLUGIN_ABI_VERSION of the host */
    uint32_t struct_size;          /* sizeof(consilium_host) as the host knows it */
    void* host;                    /* opaque; pass it as the first argument of every callback */

    /* A line for the run's log (UTF-8, copied by the host before returning). */
    void (*log)(void* host, consilium_log_level level, const char* message_utf8);
    /* Progress of the run, fraction in 0..1 (values outside are clamped). */
    void (*progress)(void* host, double fraction);
    /* Non-zero once the user or a limit asked the run to stop: return CONSILIUM_STATUS_CANCELLED
     * soon. The host kills a worker that does not stop. */
    int (*is_cancelled)(void* host);
    /* Hands the host suggestions as a JSON object {"suggestions":[...]} (UTF-8, the schema of
     * PLUGINS.md). The host copies the text before returning; the plugin keeps ownership of it.
     * May be called more than once; the run's output is all of them together. Returns
     * CONSILIUM_STATUS_INVALID_ARGUMENT when the text is not such an object. */
    consilium_status (*emit_suggestions)(void* host, const char* json_utf8);

    /* The patient as a FHIR R4 Bundle (JSON, UTF-8) of the resources the manifest asked for. */
    const char* context_json;
    /* The series, or NULL when the manifest asks for no volume. */
    const consilium_volume* volume;
    /* A scratch folder (UTF-8 path, no trailing slash) the plugin may write into, e.g. the
     * mask.nrrd a "mask" evidence item names (relative to this folder). */
    const char* work_dir;
} consilium_host;

/* Runs the plugin once. host is valid until it returns. Must not throw or longjmp. */
typedef consilium_status (*consilium_run_fn)(const consilium_host* host);

/* The plugin's table, owned by the plugin (usually a static object); it and its strings must
 * stay valid until the library is unloaded. */
typedef struct consilium_plugin {
    uint32_t abi_version;          /* CONSILIUM_PLUGIN_ABI_VERSION the plugin was built against */
    uint32_t struct_size;          /* sizeof(consilium_plugin) as the plugin knows it */
    const char* id;                /* equal to the manifest's "id" (reverse-DNS) */
    const char* version;           /* equal to the manifest's "version" */
    const char* model_version;     /* equal to the manifest's "model.version" */
    consilium_run_fn run;          /* required */
    void (*shutdown)(void);        /* optional (may be NULL): called once before unloading, to
                                      release what the plugin allocated (model weights, ...) */
} consilium_plugin;

/* Signature of the entry point, for hosts that look it up with dlsym. */
typedef const consilium_plugin* (*consilium_plugin_entry_fn)(uint32_t host_abi_version);

/* The one export of a native plugin. host_abi_version is the host's
 * CONSILIUM_PLUGIN_ABI_VERSION; return NULL when the plugin cannot serve that host (it needs a
 * newer one). Called once, before any run. */
CONSILIUM_PLUGIN_EXPORT const consilium_plugin* consilium_plugin_entry(uint32_t host_abi_version);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CONSILIUM_PLUGIN_H */
