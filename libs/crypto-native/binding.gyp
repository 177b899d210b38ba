{
  "targets": [
    {
      "target_name": "acta_native",
      "sources": [
        "src/addon.c",
        "src/edwards.c",
        "src/field.c",
        "src/msm.c",
        "src/ristretto.c",
        "src/scalar.c"
      ],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-O3", "-Wall", "-Wextra"],
      "cflags_c": ["-std=c11"],
      "cflags!": ["-O2", "-Os"],
      "xcode_settings": {
        "GCC_OPTIMIZATION_LEVEL": "3",
        "OTHER_CFLAGS": ["-std=c11", "-Wall", "-Wextra"]
      }
    }
  ]
}
