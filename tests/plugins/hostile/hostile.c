/* Hostile native plugins for test_hostile.cpp: one source, one attack per MODULE library
 * (-DATTACK_x). An attack that works emits a suggestion naming it (the run succeeds: the test
 * fails); one that is stopped returns an error (the run fails, as it must). */
#define _GNU_SOURCE
#include "consilium_plugin.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <unistd.h>

static consilium_status escaped(const consilium_host* h, const char* how) {
    char text[512];
    snprintf(text, sizeof text, "{\"suggestions\":[{\"kind\":\"risk\",\"summary\":\"escaped: %s\"}]}", how);
    h->emit_suggestions(h->host, text);
    return CONSILIUM_STATUS_OK;
}

static consilium_status stopped(const consilium_host* h, const char* what) {
    h->log(h->host, CONSILIUM_LOG_ERROR, what);
    return CONSILIUM_STATUS_ERROR;
}

static consilium_status run(const consilium_host* h) {
#if defined(ATTACK_mprotect_write)
    const consilium_volume* v = h->volume;
    if (!v) return stopped(h, "no volume");
    void* page = (void*)((uintptr_t)v->voxels & ~(uintptr_t)4095);
    if (mprotect(page, 4096, PROT_READ | PROT_WRITE) == 0) {
        ((volatile unsigned char*)v->voxels)[0] ^= 0x55;
        return escaped(h, "mprotect");
    }
    for (int fd = 3; fd < 64; ++fd) { /* any descriptor of the volume left open */
        char link[64], target[256];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n <= 0) continue;
        target[n] = 0;
        if (!strstr(target, "memfd:")) continue;
        int again = open(link, O_RDWR); /* the same memory opened again, for writing */
        if (again >= 0 && pwrite(again, "x", 1, 0) == 1) return escaped(h, "reopened for writing");
        void* w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (w != MAP_FAILED) { ((volatile unsigned char*)w)[0] ^= 0x55; return escaped(h, "mmap writable"); }
        if (pwrite(fd, "x", 1, 0) == 1) return escaped(h, "pwrite");
    }
    /* The mapping's file through /proc, opened again for writing. */
    FILE* maps = fopen("/proc/self/maps", "r");
    char line[1024];
    while (maps && fgets(line, sizeof line, maps)) {
        char* path = strchr(line, '/');
        if (!path || !strstr(line, "memfd:")) continue;
        unsigned long start = strtoul(line, NULL, 16);
        char fdpath[64];
        snprintf(fdpath, sizeof fdpath, "/proc/self/map_files/%lx-%s", start, strchr(line, '-') + 1);
        *strchr(fdpath + 20, ' ') = 0;
        int fd = open(fdpath, O_RDWR);
        if (fd >= 0 && pwrite(fd, "x", 1, 0) == 1) return escaped(h, "map_files");
    }
    return stopped(h, "the volume cannot be written");
#elif defined(ATTACK_ptrace_host)
    if (ptrace(PTRACE_ATTACH, getppid(), NULL, NULL) == 0) return escaped(h, "ptrace parent");
    if (ptrace(PTRACE_ATTACH, 1, NULL, NULL) == 0) return escaped(h, "ptrace pid 1");
    if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) == 0) return escaped(h, "ptrace traceme");
    return stopped(h, "ptrace refused");
#elif defined(ATTACK_read_processes)
    /* Every process it can see other than itself: its environment and memory. */
    DIR* d = opendir("/proc");
    struct dirent* e;
    while (d && (e = readdir(d))) {
        int pid = atoi(e->d_name);
        if (pid <= 0 || pid == getpid()) continue;
        char p[64], buf[4096];
        snprintf(p, sizeof p, "/proc/%d/environ", pid);
        int fd = open(p, O_RDONLY);
        if (fd >= 0 && read(fd, buf, sizeof buf) > 0) return escaped(h, "another process's environment");
        struct iovec local = {buf, 16}, remote = {(void*)0x400000, 16};
        if (process_vm_readv(pid, &local, 1, &remote, 1, 0) > 0) return escaped(h, "process_vm_readv");
        snprintf(p, sizeof p, "/proc/%d/mem", pid);
        if (open(p, O_RDONLY) >= 0) return escaped(h, "another process's memory");
    }
    int fd = open("/proc/1/environ", O_RDONLY);
    char buf[64];
    if (fd >= 0 && read(fd, buf, sizeof buf) > 0) return escaped(h, "/proc/1/environ");
    return stopped(h, "no other process readable");
#elif defined(ATTACK_fork_bomb)
    /* Bounded, so that a host failing to stop it does not take the machine down. */
    int made = 0;
    for (int i = 0; i < 3000; ++i) {
        pid_t c = fork();
        if (c == 0) { prctl(PR_SET_NAME, "hostile-bomb"); sleep(60); _exit(0); }
        if (c > 0) ++made;
    }
    return made >= 3000 ? escaped(h, "3000 processes") : stopped(h, "fork refused");
#elif defined(ATTACK_fill_disk)
    char path[4096];
    snprintf(path, sizeof path, "%s/fill.bin", h->work_dir);
    FILE* f = fopen(path, "wb");
    if (!f) return stopped(h, "cannot open");
    static char block[1 << 20];
    for (int i = 0; i < 4096; ++i) /* 4 GB */
        if (fwrite(block, 1, sizeof block, f) != sizeof block) return stopped(h, "the file size limit stopped it");
    fclose(f);
    return escaped(h, "wrote 4 GB");
#elif defined(ATTACK_setsid_child)
    pid_t c = fork();
    if (c == 0) {
        setsid();
        if (fork() == 0) { prctl(PR_SET_NAME, "hostile-setsid"); sleep(300); }
        _exit(0);
    }
    sleep(1);
    return stopped(h, "left a setsid grandchild behind");
#endif
    return CONSILIUM_STATUS_OK;
}

static const consilium_plugin table = {CONSILIUM_PLUGIN_ABI_VERSION, sizeof(consilium_plugin), "org.test.hostile",
                                       "1.0.0", "m1", run, NULL};

CONSILIUM_PLUGIN_EXPORT const consilium_plugin* consilium_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &table;
}
