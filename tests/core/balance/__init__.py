"""Tests of the 优质均衡 资源配置 evaluation (core.balance)."""
