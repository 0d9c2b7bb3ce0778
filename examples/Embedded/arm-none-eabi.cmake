# CMake toolchain file for a Cortex-M4F with arm-none-eabi-gcc (hard-float, single-precision FPU).
# cmake -S generated/embedded -B build -DCMAKE_TOOLCHAIN_FILE=generated/embedded/arm-none-eabi.cmake
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_AR arm-none-eabi-ar)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_C_FLAGS_INIT "-mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard -mthumb -Os -fstack-usage")
