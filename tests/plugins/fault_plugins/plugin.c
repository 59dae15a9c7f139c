/* The test plugins of test_run.cpp: one source, one behaviour per MODULE library (-DBEHAVIOUR_x). */
#include "consilium_plugin.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static consilium_status run(const consilium_host* h) {
    h->progress(h->host, 0.5);
#if defined(BEHAVIOUR_good)
    return h->emit_suggestions(h->host, "{\"suggestions\":[{\"kind\":\"risk\",\"confidence\":0.8,\"score\":3,"
        "\"band\":\"low-medium\",\"summary\":\"NEWS2 3\",\"rationale\":\"respiratory rate 25\","
        "\"code\":{\"system\":\"http://loinc.org\",\"code\":\"1104051000000101\",\"display\":\"NEWS2\"},"
        "\"evidence\":[{\"type\":\"reference\",\"text\":\"RCP 2017\"}]}]}");
#elif defined(BEHAVIOUR_roi)
    return h->emit_suggestions(h->host, "{\"suggestions\":[{\"kind\":\"risk\",\"summary\":\"far away\","
        "\"evidence\":[{\"type\":\"roi\",\"center_lps\":[500,0,0],\"size_mm\":[5,5,5]}]}]}");
#elif defined(BEHAVIOUR_segv)
    *(volatile int*)0 = 1;
#elif defined(BEHAVIOUR_abort)
    abort();
#elif defined(BEHAVIOUR_hang)
    for (;;) sleep(1); /* ignores is_cancelled: the host must SIGKILL it */
#elif defined(BEHAVIOUR_progress)
    h->progress(h->host, 0.75);
    h->progress(h->host, 1.0);
    return h->emit_suggestions(h->host, "{\"suggestions\":[]}");
#elif defined(BEHAVIOUR_cooperative)
    for (;;) { /* stops as soon as the host asks (SIGTERM sets is_cancelled) */
        if (h->is_cancelled(h->host)) return CONSILIUM_STATUS_CANCELLED;
        usleep(10000);
    }
#elif defined(BEHAVIOUR_hog)
    for (;;) {
        char* p = malloc(1 << 20);
        if (!p) { h->log(h->host, CONSILIUM_LOG_ERROR, "out of memory"); return CONSILIUM_STATUS_ERROR; }
        memset(p, 1, 1 << 20);
    }
#elif defined(BEHAVIOUR_garbage)
    h->emit_suggestions(h->host, "{\"suggestions\": [ this is not JSON");
#elif defined(BEHAVIOUR_confidence)
    h->emit_suggestions(h->host, "{\"suggestions\":[{\"kind\":\"risk\",\"confidence\":1.7,\"summary\":\"sure\"}]}");
#elif defined(BEHAVIOUR_big)
    {
        size_t n = 50u << 20;
        char* text = malloc(n + 1);
        memset(text, ' ', n);
        text[n] = 0;
        h->emit_suggestions(h->host, text);
        free(text);
    }
#endif
    return CONSILIUM_STATUS_OK;
}

#if !defined(BEHAVIOUR_noentry)
static const consilium_plugin table = {
#if defined(BEHAVIOUR_abi99)
    99,
#else
    CONSILIUM_PLUGIN_ABI_VERSION,
#endif
    sizeof(consilium_plugin), "org.test.plugin", "1.0.0", "m1", run, NULL};

CONSILIUM_PLUGIN_EXPORT const consilium_plugin* consilium_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &table;
}
#else
CONSILIUM_PLUGIN_EXPORT int not_the_entry(void) { return run(NULL); }
#endif
