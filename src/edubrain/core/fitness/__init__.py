"""学生体质健康 (student physical fitness): 《国家学生体质健康标准（2014年修订）》 as plain, vectorised
functions.

``items`` names the test items and the national upload layout, ``standard`` loads the tables shipped as
package data, ``scoring`` scores a frame of measurements, ``stats`` aggregates scored rows.
"""
